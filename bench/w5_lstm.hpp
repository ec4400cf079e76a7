#pragma once
// W5's data, the same on both sides: a sequence (S, B, input) and targets (S, B, hidden) for
// the LSTM's outputs, uniform in [-1, 1], as flat arrays in that order.
#include <string>
#include <vector>

#include "bench/memory.hpp"
#include "bench/workload.hpp"

namespace bench {

struct LstmData {
  std::vector<float> inputs, targets;
};

inline LstmData lstm_data(std::size_t steps, std::size_t batch, std::size_t input, std::size_t hidden,
                          std::uint64_t seed = 5) {
  Uniform uniform(seed);
  LstmData data{std::vector<float>(steps * batch * input), std::vector<float>(steps * batch * hidden)};
  for (float& v : data.inputs) v = float(uniform(-1, 1));
  for (float& v : data.targets) v = float(uniform(-1, 1));
  return data;
}

// Runs `step` (one training step returning its loss) warmup times, then `steps` times timed,
// and reports ms per step, the peak resident memory while timing and the last loss.
template <class Step>
void time_lstm_steps(Step step, const examples::Args& args, std::size_t batch, const std::string& impl, int threads) {
  for (std::size_t i = 0; i < args.count("warmup"); ++i) step();
  reset_peak_memory();
  const std::size_t steps = args.count("steps");
  double loss = 0;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < steps; ++i) loss = step();
  const double seconds = seconds_since(start);
  report("W5_lstm_batch" + std::to_string(batch), impl, threads,
         {{"ms_per_step", seconds / double(steps) * 1e3}, {"peak_mib", peak_memory_mib()}, {"final_loss", loss}});
}

}  // namespace bench
