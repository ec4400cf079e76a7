// Matrix products: square n x n at 16, 64, 256 and 512, next to OpenBLAS's sgemm alone (the
// floor); and W1's layer, Linear 784->100, on a batch of 64 and of 1. Rates are in flops.
#include <string>
#include <vector>

#include <cblas.h>

#include "bench/micro.hpp"

namespace {

void register_sgemm(int n) {
  tg::blas_kernels();  // chooses the kernels tapegrad runs, so the bare sgemm runs them too
  benchmark::RegisterBenchmark(("matmul/square" + std::to_string(n) + "/sgemm").c_str(), [n](benchmark::State& state) {
    const std::vector<float> a(std::size_t(n * n), 0.5f), b(std::size_t(n * n), 0.25f);
    std::vector<float> c(std::size_t(n * n));
    for (auto _ : state) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
      benchmark::DoNotOptimize(c.data());
    }
    state.counters["flops"] = benchmark::Counter(2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate);
  });
}

[[maybe_unused]] const bool registered = [] {
  for (const std::size_t n : {16, 64, 256, 512}) {
    bench::register_op("matmul/square" + std::to_string(n), [](const auto& x) { return tg::matmul(x[0], x[1]); },
                       {bench::input({n, n}), bench::input({n, n})}, 2.0 * double(n * n * n), "flops");
    register_sgemm(int(n));
  }
  for (const std::size_t batch : {64, 1})
    bench::register_op("matmul/linear784x100/batch" + std::to_string(batch),
                       [](const auto& x) { return tg::nn::linear(x[0], x[1], x[2]); },
                       {bench::input({batch, 784}), bench::input({100, 784}), bench::input({100})},
                       2.0 * double(batch * 784 * 100), "flops");
  return true;
}();

}  // namespace
