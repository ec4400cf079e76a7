// W4 on libtorch, the peer of bench/w4_xor.cpp: the 3-4-1 sigmoid network learning XOR, full
// batch, gradient descent with step 1 on SSE/2, 60,000 iterations, in double precision.
#include <cstdio>
#include <exception>

#include "bench/libtorch/threads.hpp"
#include "bench/workload.hpp"

namespace {

torch::Tensor tensor(std::vector<double> values, std::int64_t rows, std::int64_t cols) {
  return torch::from_blob(values.data(), {rows, cols}, torch::kDouble).clone();
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"iterations", "60000"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const std::size_t iterations = args.count("iterations");

  const auto X = tensor(bench::xor_inputs, 4, 3), y = tensor(bench::xor_targets, 4, 1);
  bench::Uniform uniform(1);
  auto syn0 = tensor(bench::xor_weights(12, uniform), 3, 4).requires_grad_();
  auto syn1 = tensor(bench::xor_weights(4, uniform), 4, 1).requires_grad_();

  torch::Tensor l2;
  const auto start = bench::Clock::now();
  for (std::size_t j = 0; j < iterations; ++j) {
    auto l1 = torch::sigmoid(X.mm(syn0));
    l2 = torch::sigmoid(l1.mm(syn1));
    auto loss = 0.5 * (y - l2).square().sum();
    for (auto* w : {&syn0, &syn1})
      if (w->grad().defined()) w->mutable_grad().zero_();
    loss.backward();
    torch::NoGradGuard no_grad;
    syn0 -= syn0.grad();
    syn1 -= syn1.grad();
  }
  const double seconds = bench::seconds_since(start);
  bench::report("W4_xor", "libtorch", threads,
                {{"seconds", seconds}, {"mean_abs_error", (y - l2).abs().mean().item<double>()}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "libtorch w4_xor: %s\n", e.what());
  return 1;
}
