#pragma once
// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay.
#include "optim/optimizer.hpp"

namespace tg::optim {

struct SGDOptions {
  double lr = 1e-3;
  double momentum = 0.0;
  double dampening = 0.0;
  double weight_decay = 0.0;
  bool nesterov = false;
};
// Nesterov momentum needs a momentum and no dampening; the base checks the rest.
void validate(const SGDOptions& options, const std::string& name);

// PyTorch's update: d = g + wd*p; b = d on the first step, else momentum*b + (1-dampening)*d;
// p -= lr * (nesterov ? d + momentum*b : b)  (p -= lr*d without momentum).
class SGD : public OptimizerOf<SGD, SGDOptions> {
 public:
  using OptimizerOf::OptimizerOf;

 private:
  friend OptimizerOf;
  static constexpr const char* kName = "SGD";
  template <class T>
  void apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state);
};

}  // namespace tg::optim
