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

template void Adagrad::apply(std::size_t, xt::xarray<float>&, const xt::xarray<float>&, ParamState&);
template void Adagrad::apply(std::size_t, xt::xarray<double>&, const xt::xarray<double>&, ParamStateD&);

}  // namespace tg::optim
