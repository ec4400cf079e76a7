#pragma once
// What the per-operation benchmarks share: seeded inputs and the registration of an operation
// as two benchmarks, "<name>/forward" (recorded, as in a training step) and
// "<name>/forward_backward" (then swept back from a seed of ones; the inputs' gradients
// accumulate, as they do between two zero_grad calls).
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "tapegrad.hpp"

namespace bench {

using Op = std::function<tg::Tensor(const std::vector<tg::Tensor>&)>;

// Values in [-1, 1) from a fixed seed, requiring grad.
inline tg::Tensor input(const tg::Shape& shape) {
  static tg::Generator gen(42);
  return tg::uniform<float>(shape, -1.0f, 1.0f, gen, true);
}

// The forward's `work` (elements, or floating-point operations) is reported, in both benchmarks,
// as a rate named `unit`.
inline void register_op(const std::string& name, Op op, std::vector<tg::Tensor> inputs, double work = 0,
                        const std::string& unit = "elements") {
  auto with_rate = [work, unit](benchmark::State& state) {
    if (work > 0) state.counters[unit] = benchmark::Counter(work, benchmark::Counter::kIsIterationInvariantRate);
  };
  benchmark::RegisterBenchmark((name + "/forward").c_str(), [=](benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(op(inputs));
    with_rate(state);
  });
  benchmark::RegisterBenchmark((name + "/forward_backward").c_str(), [=](benchmark::State& state) {
    const auto seed = tg::ones<float>(op(inputs).shape());
    for (auto _ : state) op(inputs).backward(seed);
    with_rate(state);
  });
}

}  // namespace bench
