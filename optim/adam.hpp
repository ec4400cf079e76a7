#pragma once
// Adam (L2 weight decay added to the gradient) and AdamW (weight decay decoupled from it).
#include <utility>

#include "optim/optimizer.hpp"

namespace tg::optim {

struct AdamOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;
};

// The same fields; only weight decay's default and meaning differ.
struct AdamWOptions {
  double lr = 1e-3;
  std::pair<double, double> betas = {0.9, 0.999};
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;
};

// PyTorch's update at step t: g += wd*p; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
// (amsgrad: v_max = max(v_max, v) replaces v below)
// p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps).
class Adam : public OptimizerOf<Adam, AdamOptions> {
 public:
  using OptimizerOf::OptimizerOf;

 private:
  friend OptimizerOf;
  static constexpr const char* kName = "Adam";
  template <class T>
  void apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state);
};

// Adam whose weight decay shrinks the parameter directly, p *= 1 - lr*wd, before the Adam step on g.
class AdamW : public OptimizerOf<AdamW, AdamWOptions> {
 public:
  using OptimizerOf::OptimizerOf;

 private:
  friend OptimizerOf;
  static constexpr const char* kName = "AdamW";
  template <class T>
  void apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state);
};

}  // namespace tg::optim
