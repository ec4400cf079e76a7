#pragma once
// The model, optimizer and generators the weights and checkpoint harnesses load into, with a
// snapshot of everything a load may change: a load that fails must leave it exactly as it was.
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "nn/default_generator.hpp"
#include "tapegrad.hpp"
#include "tests/fuzz/harness.hpp"

namespace tg::fuzz {

// A small model with every kind of state a checkpoint holds: weights, Adam's moments and step
// counts, the default generator and a Dropout's generator (extra state).
struct TrainingState {
  nn::Sequential model{nn::Linear(3, 4), nn::Tanh(), nn::Dropout(0.5), nn::Linear(4, 2)};
  optim::Adam adam{model.parameters(), {.lr = 0.01}};

  // A few steps on fixed data, so that every part of the state holds something.
  void train(int steps) {
    Generator gen(11);
    const auto x = randn<float>({5, 3}, gen), t = randn<float>({5, 2}, gen);
    for (int i = 0; i < steps; ++i) {
      const auto loss = nn::mse_loss(model(x), t);
      adam.zero_grad();
      loss.backward();
      adam.step();
    }
  }
};

// Everything of a TrainingState that a load can change, compared bit for bit.
class Snapshot {
 public:
  explicit Snapshot(const TrainingState& s) : generator_(nn::default_generator().state()) {
    for (const auto& [name, value] : s.model.state_dict()) add(name, value);
    const auto optimizer = s.adam.state();
    for (std::size_t g = 0; g < optimizer.lrs.size(); ++g) texts_["lr" + std::to_string(g)] = std::to_string(optimizer.lrs[g]);
    for (const auto& [position, param] : optimizer.params) {
      texts_["step" + std::to_string(position)] = std::to_string(param.step);
      for (const auto& [name, buffer] : param.buffers) add(std::to_string(position) + "." + name, buffer);
    }
    for (const auto& [name, module] : s.model.named_modules()) texts_["extra " + name] = module->extra_state();
  }
  bool operator==(const Snapshot& other) const {
    return generator_ == other.generator_ && texts_ == other.texts_ && bits_ == other.bits_;
  }

 private:
  void add(const std::string& name, const xt::xarray<float>& value) {
    std::string bits(value.size() * sizeof(float), '\0');
    if (!bits.empty()) std::memcpy(bits.data(), value.data(), bits.size());
    bits_[name] = std::to_string(value.dimension()) + ":" + bits;
    for (const std::size_t d : value.shape()) bits_[name] += "," + std::to_string(d);
  }

  std::string generator_;
  std::map<std::string, std::string> texts_, bits_;
};

}  // namespace tg::fuzz
