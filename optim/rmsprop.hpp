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
class RMSprop : public OptimizerWithOptions<RMSpropOptions> {
 public:
  explicit RMSprop(std::vector<Tensor> params, const RMSpropOptions& options = {})
      : OptimizerWithOptions("RMSprop", std::move(params), options) {}
  explicit RMSprop(std::vector<TensorD> params, const RMSpropOptions& options = {})
      : OptimizerWithOptions("RMSprop", std::move(params), options) {}

 private:
  template <class T>
  void apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state);
  void update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) override;
  void update(std::size_t group, xt::xarray<double>& param, const xt::xarray<double>& grad,
              ParamStateD& state) override;
};

}  // namespace tg::optim
