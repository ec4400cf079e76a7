#pragma once
// Adagrad: per-element steps shrinking with the accumulated squared gradient.
#include "optim/optimizer.hpp"

namespace tg::optim {

struct AdagradOptions {
  double lr = 1e-2;
  double lr_decay = 0.0;
  double weight_decay = 0.0;
  double initial_accumulator_value = 0.0;
  double eps = 1e-10;
};

// PyTorch's update at step t: g += wd*p; s += g^2; p -= lr/(1 + (t-1)*lr_decay) * g/(sqrt(s) + eps),
// with s starting at initial_accumulator_value.
class Adagrad : public OptimizerOf<Adagrad, AdagradOptions> {
 public:
  using OptimizerOf::OptimizerOf;

 private:
  friend OptimizerOf;
  static constexpr const char* kName = "Adagrad";
  template <class T>
  void apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state);
};

}  // namespace tg::optim
