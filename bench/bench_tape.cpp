// The tape's fixed cost per operation: a multiplication of two tensors of 1 and of 1024 elements
// computed by xtensor alone, by tapegrad without recording (inputs that need no gradient, or
// under NoGradGuard) and recorded, then swept back; and a chain of 1,000 elementwise operations
// on one element (exp and log in turn, so the gradient stays 1), whose "ops" rate is the
// inverse of the cost of one operation.
#include <string>

#include "bench/micro.hpp"

namespace {

void register_mul(std::size_t n) {
  const std::string size = "/" + std::to_string(n);
  const auto a = bench::input({n}), b = bench::input({n});
  const auto constant_a = a.detach(), constant_b = b.detach();
  benchmark::RegisterBenchmark(("tape/mul" + size + "/xtensor").c_str(), [=](benchmark::State& state) {
    for (auto _ : state) {
      xt::xarray<float> c = a.value() * b.value();
      benchmark::DoNotOptimize(c);
    }
  });
  benchmark::RegisterBenchmark(("tape/mul" + size + "/not_requiring_grad").c_str(), [=](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(constant_a * constant_b);
  });
  benchmark::RegisterBenchmark(("tape/mul" + size + "/no_grad_guard").c_str(), [=](benchmark::State& state) {
    tg::NoGradGuard no_grad;
    for (auto _ : state) benchmark::DoNotOptimize(a * b);
  });
  benchmark::RegisterBenchmark(("tape/mul" + size + "/recorded").c_str(), [=](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(a * b);
  });
  benchmark::RegisterBenchmark(("tape/mul" + size + "/recorded_backward").c_str(), [=](benchmark::State& state) {
    const auto seed = tg::ones<float>({n});
    for (auto _ : state) (a * b).backward(seed);
  });
}

tg::Tensor chain(const tg::Tensor& x, std::size_t length) {
  tg::Tensor y = x;
  for (std::size_t i = 0; i < length; ++i) y = i % 2 ? tg::log(y) : tg::exp(y);
  return y;
}

void register_chain(std::size_t length) {
  const auto x = bench::input({1});
  const auto ops = benchmark::Counter(double(length), benchmark::Counter::kIsIterationInvariantRate);
  const std::string name = "tape/chain" + std::to_string(length);
  benchmark::RegisterBenchmark((name + "/forward").c_str(), [=](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(chain(x, length));
    state.counters["ops"] = ops;
  });
  benchmark::RegisterBenchmark((name + "/forward_backward").c_str(), [=](benchmark::State& state) {
    for (auto _ : state) chain(x, length).backward();
    state.counters["ops"] = ops;
  });
}

[[maybe_unused]] const bool registered = [] {
  register_mul(1);
  register_mul(1024);
  register_chain(1000);
  return true;
}();

}  // namespace
