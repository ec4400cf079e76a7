// W4, "a neural network in 11 lines": the 3-4-1 sigmoid network learning XOR, full batch of
// four rows, gradient descent with step 1 on SSE/2, 60,000 iterations, in double precision.
#include <cmath>
#include <cstdio>
#include <exception>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>

#include "bench/blas_threads.hpp"
#include "bench/workload.hpp"
#include "examples/tutorial.hpp"
#include "tapegrad.hpp"

namespace {

tg::TensorD tensor(const std::vector<double>& values, std::size_t rows, std::size_t cols, bool requires_grad = false) {
  xt::xarray<double> array = xt::adapt(values, std::vector<std::size_t>{rows, cols});
  return tg::TensorD::from(std::move(array), requires_grad);
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"iterations", "60000"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const std::size_t iterations = args.count("iterations");

  const auto X = tensor(bench::xor_inputs, 4, 3), y = tensor(bench::xor_targets, 4, 1);
  bench::Uniform uniform(1);
  auto syn0 = tensor(bench::xor_weights(12, uniform), 3, 4, true);
  auto syn1 = tensor(bench::xor_weights(4, uniform), 4, 1, true);

  tg::TensorD l2;
  const auto start = bench::Clock::now();
  for (std::size_t j = 0; j < iterations; ++j) {
    auto l1 = tg::sigmoid(tg::matmul(X, syn0));
    l2 = tg::sigmoid(tg::matmul(l1, syn1));
    examples::descend(0.5 * tg::sum(tg::square(y - l2)), {syn0, syn1}, 1.0);
  }
  const double seconds = bench::seconds_since(start);
  bench::report("W4_xor", "tapegrad", threads,
                {{"seconds", seconds}, {"mean_abs_error", xt::mean(xt::abs(y.value() - l2.value()))()}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w4_xor: %s\n", e.what());
  return 1;
}
