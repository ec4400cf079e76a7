#include "optim/adagrad.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {

template <class T>
void Adagrad::apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state) {
  const AdagradOptions& o = options(group);
  xt::xarray<T> decayed;
  const xt::xarray<T>& g = with_weight_decay(grad, param, o.weight_decay, decayed);
  auto& sum = state.buffer("sum", param, static_cast<T>(o.initial_accumulator_value));
  xt::noalias(sum) += g * g;
  const auto clr = static_cast<T>(o.lr / (1.0 + static_cast<double>(state.step - 1) * o.lr_decay));
  xt::noalias(param) -= clr * g / (xt::sqrt(sum) + static_cast<T>(o.eps));
}

void Adagrad::update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  apply(group, param, grad, state);
}
void Adagrad::update(std::size_t group, xt::xarray<double>& param, const xt::xarray<double>& grad, ParamStateD& state) {
  apply(group, param, grad, state);
}

}  // namespace tg::optim
