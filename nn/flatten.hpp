#pragma once
// Flatten: (N, d1, d2, ...) -> (N, d1 * d2 * ...), e.g. images before a Linear layer.
#include "nn/module.hpp"

namespace tg::nn {

class Flatten : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Flatten"; }
};

}  // namespace tg::nn
