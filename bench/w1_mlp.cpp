// W1: the 784-100-10 sigmoid perceptron on MNIST, softmax cross-entropy, SGD with lr 0.1:
// one epoch in batches of 64 (file order), then a fresh network trained one sample at a time.
// W1_per_sample_tutorial is the numpy tutorial's own variant, the peer of bench/numpy/w1_per_sample.py:
// no biases, sigmoid outputs aimed at 0.01 / 0.99, SSE/2, weights normal with std 1/sqrt(inputs).
#include <cmath>
#include <cstdio>
#include <exception>

#include "bench/blas_threads.hpp"
#include "bench/workload.hpp"
#include "tapegrad.hpp"

namespace {

double accuracy(tg::nn::Module& net, const tg::nn::MnistSet& test) {
  const auto predictions = net.predict(tg::Tensor::from(test.images));
  return double(tg::nn::correct_predictions(predictions, test.labels)) / double(test.labels.size());
}

// Seconds to train `net` with SGD (lr 0.1) on the first `batches` batches of `loader`, in order.
template <class Targets, class Loss>
double train(tg::nn::Module& net, Loss loss, const tg::nn::DataLoader<Targets>& loader, std::size_t batches) {
  tg::optim::SGD optimizer(net.parameters(), {.lr = 0.1});
  const auto epoch = loader.epoch(0);
  const auto start = bench::Clock::now();
  for (std::size_t b = 0; b < batches; ++b) {
    const auto batch = epoch.batch(b);
    optimizer.zero_grad();
    loss(net(batch.inputs), batch.targets).backward();
    optimizer.step();
  }
  return bench::seconds_since(start);
}

tg::nn::Sequential perceptron(bool bias) {
  tg::nn::manual_seed(1);
  return tg::nn::Sequential(tg::nn::Linear(784, 100, bias), tg::nn::Sigmoid(), tg::nn::Linear(100, 10, bias));
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"data", "data/mnist"}, {"samples", "10000"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const auto train_set = tg::nn::load_mnist(args.str("data"), "train", {.flatten = true});
  const auto test_set = tg::nn::load_mnist(args.str("data"), "t10k", {.flatten = true});
  const std::size_t samples = std::min(args.count("samples"), train_set.labels.size());
  const auto cross_entropy = [](const tg::Tensor& logits, const tg::Labels& y) { return tg::nn::cross_entropy(logits, y); };

  bench::reset_peak_memory();  // each workload's own peak
  {
    auto net = perceptron(true);
    const tg::nn::DataLoader<tg::Labels> loader(train_set.images, train_set.labels, {.batch_size = 64});
    const double seconds = train(net, cross_entropy, loader, loader.num_batches());
    bench::report("W1_batch64", "tapegrad", threads, {{"seconds_per_epoch", seconds}, {"test_accuracy", accuracy(net, test_set)}});
  }
  bench::reset_peak_memory();  // each workload's own peak
  {
    auto net = perceptron(true);
    const tg::nn::DataLoader<tg::Labels> loader(train_set.images, train_set.labels, {.batch_size = 1});
    const double seconds = train(net, cross_entropy, loader, samples);
    bench::report("W1_per_sample", "tapegrad", threads,
                  {{"us_per_sample", seconds / double(samples) * 1e6}, {"test_accuracy", accuracy(net, test_set)}});
  }
  bench::reset_peak_memory();  // each workload's own peak
  {
    tg::nn::Sequential net(perceptron(false), tg::nn::Sigmoid());
    for (auto& w : net.parameters()) tg::nn::init::normal_(w, 0.0, 1.0 / std::sqrt(double(w.shape()[1])));
    const tg::nn::DataLoader<xt::xarray<float>> loader(train_set.images * 0.99f + 0.01f,
                                                       tg::nn::one_hot(train_set.labels, 10, 0.01f, 0.99f),
                                                       {.batch_size = 1});
    const auto half_sse = [](const tg::Tensor& out, const tg::Tensor& target) { return 0.5f * tg::nn::sse_loss(out, target); };
    const double seconds = train(net, half_sse, loader, samples);
    tg::nn::MnistSet scaled_test{test_set.images * 0.99f + 0.01f, test_set.labels};
    bench::report("W1_per_sample_tutorial", "tapegrad", threads,
                  {{"us_per_sample", seconds / double(samples) * 1e6}, {"test_accuracy", accuracy(net, scaled_test)}});
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w1_mlp: %s\n", e.what());
  return 1;
}
