#pragma once
// RMSprop: steps scaled by a running root mean square of the gradient, optionally centered.
#include "optim/optimizer.hpp"

namespace tg::optim {

struct RMSpropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum = 0.0;
  bool centered = false;
};

// PyTorch's update: g += wd*p; s = alpha*s + (1-alpha)*g^2; a = sqrt(s) + eps
// (centered: m = alpha*m + (1-alpha)*g; a = sqrt(s - m^2) + eps);
// p -= lr * g/a, or with momentum b = momentum*b + g/a; p -= lr * b.
class RMSprop : public OptimizerOf<RMSprop, RMSpropOptions> {
 public:
  using OptimizerOf::OptimizerOf;

 private:
  friend OptimizerOf;
  static constexpr const char* kName = "RMSprop";
  template <class T>
  void apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state);
};

}  // namespace tg::optim
