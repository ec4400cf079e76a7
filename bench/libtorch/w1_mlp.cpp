// W1 on libtorch, the peer of bench/w1_mlp.cpp: the 784-100-10 sigmoid perceptron on MNIST,
// softmax cross-entropy, SGD with lr 0.1, one epoch in batches of 64 (file order), then a fresh
// network trained one sample at a time.
#include <cstdio>
#include <exception>

#include "bench/libtorch/threads.hpp"
#include "bench/workload.hpp"

namespace {

struct Set {
  torch::Tensor images;  // (N, 784)
  torch::Tensor labels;  // (N), int64
};

Set load(const std::string& dir, const std::string& split) {
  auto set = bench::read_mnist(dir, split);
  const auto n = std::int64_t(set.count);
  return {torch::from_blob(set.images.data(), {n, 784}, torch::kFloat).clone(),
          torch::from_blob(set.labels.data(), {n}, torch::kLong).clone()};
}

torch::nn::Sequential perceptron() {
  torch::manual_seed(1);
  return torch::nn::Sequential(torch::nn::Linear(784, 100), torch::nn::Sigmoid(), torch::nn::Linear(100, 10));
}

// Seconds to train `net` with SGD (lr 0.1) on the first `batches` batches of `batch_size` rows, in order.
double train(torch::nn::Sequential& net, const Set& train_set, std::int64_t batch_size, std::int64_t batches) {
  torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(0.1));
  const std::int64_t n = train_set.images.size(0);
  const auto start = bench::Clock::now();
  for (std::int64_t b = 0; b < batches; ++b) {
    const std::int64_t begin = b * batch_size, end = std::min(begin + batch_size, n);
    optimizer.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(net->forward(train_set.images.slice(0, begin, end)),
                                                     train_set.labels.slice(0, begin, end));
    loss.backward();
    optimizer.step();
  }
  return bench::seconds_since(start);
}

double accuracy(torch::nn::Sequential& net, const Set& test) {
  torch::NoGradGuard no_grad;
  const auto correct = net->forward(test.images).argmax(1).eq(test.labels).sum().item<std::int64_t>();
  return double(correct) / double(test.labels.size(0));
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"data", "data/mnist"}, {"samples", "10000"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const auto train_set = load(args.str("data"), "train"), test_set = load(args.str("data"), "t10k");
  const std::int64_t n = train_set.images.size(0);
  const std::int64_t samples = std::min(std::int64_t(args.count("samples")), n);

  bench::reset_peak_memory();  // each workload's own peak
  {
    auto net = perceptron();
    const double seconds = train(net, train_set, 64, (n + 63) / 64);
    bench::report("W1_batch64", "libtorch", threads, {{"seconds_per_epoch", seconds}, {"test_accuracy", accuracy(net, test_set)}});
  }
  bench::reset_peak_memory();  // each workload's own peak
  {
    auto net = perceptron();
    const double seconds = train(net, train_set, 1, samples);
    bench::report("W1_per_sample", "libtorch", threads,
                  {{"us_per_sample", seconds / double(samples) * 1e6}, {"test_accuracy", accuracy(net, test_set)}});
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "libtorch w1_mlp: %s\n", e.what());
  return 1;
}
