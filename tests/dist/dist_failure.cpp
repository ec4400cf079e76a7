// A training job in which rank 1 fails at step 3, for tests/dist/meson.build: the other ranks
// must be ended, with a message, within a bounded time instead of waiting for rank 1 forever.
//   dist_failure MODE    throw: rank 1 throws, main catches it and returns 1 (as the examples do)
//                        uncaught: rank 1 throws out of main
//                        exit: rank 1 dies (std::_Exit)
//                        hang: rank 1 sleeps instead of joining the next collective
//                        finish: rank 1 returns from main normally, 3 steps early
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "tapegrad.hpp"

namespace {

// Ten training steps, gradients averaged while backward runs; false when rank 1 finished early.
bool train(const std::string& mode) {
  tg::nn::manual_seed(1);
  tg::nn::Sequential net(tg::nn::Linear(4, 8), tg::nn::Tanh(), tg::nn::Linear(8, 1));
  tg::dist::broadcast_parameters(net);
  tg::optim::SGD sgd(net.parameters(), {.lr = 0.1});
  tg::dist::GradientBuckets buckets(net, {.bucket_bytes = 64});
  const auto x = tg::Tensor::from(xt::ones<float>({2, 4}));
  for (int step = 0; step < 10; ++step) {
    if (tg::dist::rank() == 1 && step == 3) {
      if (mode == "throw" || mode == "uncaught") throw tg::Error("rank 1 fails on purpose at step 3");
      if (mode == "exit") std::_Exit(3);
      if (mode == "hang") std::this_thread::sleep_for(std::chrono::hours(1));
      if (mode == "finish") return false;
    }
    sgd.zero_grad();
    tg::sum(net(x)).backward();
    buckets.synchronize();
    sgd.step();
  }
  return true;
}

}  // namespace

// The Context lives inside main's try block, as in the examples: an exception leaving it is seen
// (a rank that caught the exception before would look like a rank that simply finished).
int main(int argc, char** argv) try {
  tg::dist::Context mpi(argc, argv);
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "uncaught") [&]() noexcept { train(mode); }();  // std::terminate, without unwinding
  train(mode);
  std::printf("rank %d finished\n", tg::dist::rank());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "dist_failure: %s\n", e.what());
  return 1;
}
