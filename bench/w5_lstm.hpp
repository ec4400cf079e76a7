#pragma once
// W5's data, the same on both sides: a sequence (S, B, input) and targets (S, B, hidden) for
// the LSTM's outputs, uniform in [-1, 1], as flat arrays in that order.
#include <vector>

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

}  // namespace bench
