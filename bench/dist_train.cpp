// W1 and W2 trained data-parallel with tg::dist, under mpirun: every step takes the next 64 MNIST
// images, each of the N ranks computes the gradient of its 64 / N of them, the gradients are
// averaged, and every rank takes the same step. Averaging overlaps backward (GradientBuckets) or
// follows it (average_gradients). Reports images per second of the whole job and how long rank 0
// waited for the averaging per step, after its own backward was done.
//   mpirun -np 2 build/bench/dist_train --workload W2 --averaging overlap --threads 1
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include <xtensor/xview.hpp>

#include "bench/blas_threads.hpp"
#include "bench/workload.hpp"
#include "tapegrad.hpp"

namespace {

constexpr std::size_t batch = 64;

// W1: the 784-100-10 sigmoid perceptron with SGD; W2: the Keras seed's CNN with Adam.
struct Workload {
  std::unique_ptr<tg::nn::Sequential> net;
  std::unique_ptr<tg::optim::Optimizer> optimizer;
  bool images;  // W2 takes (B, 1, 28, 28), W1 (B, 784)
};

Workload build(const std::string& name) {
  tg::nn::manual_seed(1);
  if (name == "W1") {
    auto net = std::make_unique<tg::nn::Sequential>(tg::nn::Linear(784, 100), tg::nn::Sigmoid(), tg::nn::Linear(100, 10));
    auto sgd = std::make_unique<tg::optim::SGD>(net->parameters(), tg::optim::SGDOptions{.lr = 0.1});
    return {std::move(net), std::move(sgd), false};
  }
  if (name != "W2") throw std::invalid_argument("--workload is W1 or W2");
  auto net = std::make_unique<tg::nn::Sequential>(tg::nn::Conv2d(1, 64, 3), tg::nn::ReLU(), tg::nn::MaxPool2d(2),
                                                  tg::nn::Conv2d(64, 128, 3), tg::nn::ReLU(), tg::nn::Flatten(),
                                                  tg::nn::Linear(15488, 10));
  auto adam = std::make_unique<tg::optim::Adam>(net->parameters(), tg::optim::AdamOptions{.lr = 1e-3});
  return {std::move(net), std::move(adam), true};
}

}  // namespace

int main(int argc, char** argv) try {
  tg::dist::Context mpi(argc, argv);
  const auto args = bench::parse_args(argc, argv,
                                      {{"data", "data/mnist"}, {"workload", "W1"}, {"averaging", "overlap"},
                                       {"steps", "300"}, {"warmup", "5"}, {"bucket-kb", "2048"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const std::string averaging = args.str("averaging");
  if (averaging != "overlap" && averaging != "after") throw std::invalid_argument("--averaging is overlap or after");
  const int ranks = tg::dist::world_size(), rank = tg::dist::rank();
  if (batch % std::size_t(ranks)) throw std::invalid_argument("the batch of 64 must split evenly over the ranks");
  const std::size_t share = batch / std::size_t(ranks), warmup = args.count("warmup"), steps = args.count("steps");

  const auto train = tg::nn::load_mnist(args.str("data"), "train", {.flatten = true});
  auto [net, optimizer, images] = build(args.str("workload"));
  tg::dist::broadcast_parameters(*net);
  std::unique_ptr<tg::dist::GradientBuckets> buckets;
  if (averaging == "overlap")
    buckets = std::make_unique<tg::dist::GradientBuckets>(
        *net, tg::dist::BucketOptions{.bucket_bytes = args.count("bucket-kb") * 1024});

  double seconds = 0, waiting = 0;
  for (std::size_t step = 0; step < warmup + steps; ++step) {
    if (step == warmup) {
      tg::dist::barrier();
      seconds = waiting = 0;
    }
    const auto start = bench::Clock::now();
    // This rank's rows of batch `step`, wrapping around the training set.
    const std::size_t first = (step * batch) % (train.labels.size() - batch + 1) + std::size_t(rank) * share;
    xt::xarray<float> x = xt::view(train.images, xt::range(first, first + share));
    if (images) x.reshape({share, 1, 28, 28});
    const tg::Labels y(train.labels.begin() + long(first), train.labels.begin() + long(first + share));
    optimizer->zero_grad();
    tg::nn::cross_entropy((*net)(tg::Tensor::from(std::move(x))), y).backward();
    const auto averaging_start = bench::Clock::now();
    if (buckets)
      buckets->synchronize();
    else
      tg::dist::average_gradients(*net);
    waiting += bench::seconds_since(averaging_start);
    optimizer->step();
    seconds += bench::seconds_since(start);
  }
  tg::dist::barrier();
  const std::string name = args.str("workload") + "_data_parallel_np" + std::to_string(ranks) + "_" + averaging;
  if (rank == 0)
    bench::report(name, "tapegrad", threads,
                  {{"images_per_second", double(steps * batch) / seconds},
                   {"ms_per_step", seconds / double(steps) * 1e3},
                   {"averaging_wait_ms_per_step", waiting / double(steps) * 1e3},
                   {"processes", double(ranks)}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "dist_train: %s\n", e.what());
  return 1;
}
