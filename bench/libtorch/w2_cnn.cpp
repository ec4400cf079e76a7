// W2 on libtorch, the peer of bench/w2_cnn.cpp: Conv 1->64 k3 relu, MaxPool 2, Conv 64->128 k3
// relu, Flatten, Linear 15488->10 on MNIST with Adam (lr 1e-3): milliseconds per training step at
// batch 64, and inference images per second at batch 256.
#include <cstdio>
#include <exception>
#include <vector>

#include "bench/libtorch/threads.hpp"
#include "bench/workload.hpp"

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv,
                                      {{"data", "data/mnist"}, {"warmup", "2"}, {"steps", "20"}, {"inference-batches", "4"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  auto train_set = bench::read_mnist(args.str("data"), "train");
  const auto images = torch::from_blob(train_set.images.data(), {std::int64_t(train_set.count), 1, 28, 28}, torch::kFloat);
  const auto labels = torch::from_blob(train_set.labels.data(), {std::int64_t(train_set.count)}, torch::kLong);
  const std::int64_t warmup = std::int64_t(args.count("warmup")), steps = std::int64_t(args.count("steps"));
  const std::int64_t inference_batches = std::int64_t(args.count("inference-batches"));

  bench::reset_peak_memory();  // each workload's own peak
  torch::manual_seed(1);
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 64, 3)), torch::nn::ReLU(),
                            torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)),
                            torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 128, 3)), torch::nn::ReLU(),
                            torch::nn::Flatten(), torch::nn::Linear(15488, 10));
  torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-3));

  std::vector<torch::Tensor> inputs, targets;
  for (std::int64_t s = 0; s < warmup + steps; ++s) {
    inputs.push_back(images.slice(0, s * 64, s * 64 + 64).clone());
    targets.push_back(labels.slice(0, s * 64, s * 64 + 64).clone());
  }
  double loss = 0, seconds = 0;
  for (std::int64_t s = 0; s < warmup + steps; ++s) {
    if (s == warmup) seconds = 0;
    const auto start = bench::Clock::now();
    optimizer.zero_grad();
    auto batch_loss = torch::nn::functional::cross_entropy(net->forward(inputs[s]), targets[s]);
    batch_loss.backward();
    optimizer.step();
    seconds += bench::seconds_since(start);
    loss = batch_loss.item<double>();
  }
  bench::report("W2_train_step", "libtorch", threads, {{"ms_per_step", seconds / double(steps) * 1e3}, {"last_loss", loss}});

  bench::reset_peak_memory();  // each workload's own peak
  net->eval();
  torch::NoGradGuard no_grad;
  const auto batch = images.slice(0, 0, 256).clone();
  net->forward(batch);  // warm-up
  const auto start = bench::Clock::now();
  for (std::int64_t b = 0; b < inference_batches; ++b) net->forward(batch);
  const double inference_seconds = bench::seconds_since(start);
  bench::report("W2_inference", "libtorch", threads,
                {{"ms_per_batch256", inference_seconds / double(inference_batches) * 1e3},
                 {"images_per_second", double(inference_batches * 256) / inference_seconds}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "libtorch w2_cnn: %s\n", e.what());
  return 1;
}
