// W2: the Keras seed's CNN (Conv 1->64 k3 relu, MaxPool 2, Conv 64->128 k3 relu, Flatten,
// Linear 15488->10) on MNIST with Adam (lr 1e-3): milliseconds per training step at batch 64,
// and inference images per second at batch 256.
#include <cstdio>
#include <exception>
#include <vector>

#include <xtensor/xview.hpp>

#include "bench/blas_threads.hpp"
#include "bench/workload.hpp"
#include "tapegrad.hpp"

namespace {

// Images first..first+count of `images` (N, 28, 28) as a (count, 1, 28, 28) tensor.
tg::Tensor batch(const xt::xarray<float>& images, std::size_t first, std::size_t count) {
  xt::xarray<float> rows = xt::view(images, xt::range(first, first + count));
  rows.reshape({count, 1, 28, 28});
  return tg::Tensor::from(std::move(rows));
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv,
                                      {{"data", "data/mnist"}, {"warmup", "2"}, {"steps", "20"}, {"inference-batches", "4"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const auto train_set = tg::nn::load_mnist(args.str("data"), "train");
  const std::size_t warmup = args.count("warmup"), steps = args.count("steps");
  const std::size_t inference_batches = args.count("inference-batches");

  bench::reset_peak_memory();  // each workload's own peak
  tg::nn::manual_seed(1);
  tg::nn::Sequential net(tg::nn::Conv2d(1, 64, 3), tg::nn::ReLU(), tg::nn::MaxPool2d(2), tg::nn::Conv2d(64, 128, 3),
                         tg::nn::ReLU(), tg::nn::Flatten(), tg::nn::Linear(15488, 10));
  tg::optim::Adam optimizer(net.parameters(), {.lr = 1e-3});

  std::vector<tg::Tensor> inputs;
  std::vector<tg::Labels> labels;
  for (std::size_t s = 0; s < warmup + steps; ++s) {
    inputs.push_back(batch(train_set.images, s * 64, 64));
    labels.emplace_back(train_set.labels.begin() + long(s * 64), train_set.labels.begin() + long(s * 64 + 64));
  }
  double loss = 0, seconds = 0;
  for (std::size_t s = 0; s < warmup + steps; ++s) {
    if (s == warmup) seconds = 0;
    const auto start = bench::Clock::now();
    optimizer.zero_grad();
    auto batch_loss = tg::nn::cross_entropy(net(inputs[s]), labels[s]);
    batch_loss.backward();
    optimizer.step();
    seconds += bench::seconds_since(start);
    loss = batch_loss.item();
  }
  bench::report("W2_train_step", "tapegrad", threads, {{"ms_per_step", seconds / double(steps) * 1e3}, {"last_loss", loss}});

  bench::reset_peak_memory();  // each workload's own peak
  net.eval();
  tg::NoGradGuard no_grad;
  const auto images = batch(train_set.images, 0, 256);
  net(images);  // warm-up
  const auto start = bench::Clock::now();
  for (std::size_t b = 0; b < inference_batches; ++b) net(images);
  const double inference_seconds = bench::seconds_since(start);
  bench::report("W2_inference", "tapegrad", threads,
                {{"ms_per_batch256", inference_seconds / double(inference_batches) * 1e3},
                 {"images_per_second", double(inference_batches * 256) / inference_seconds}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w2_cnn: %s\n", e.what());
  return 1;
}
