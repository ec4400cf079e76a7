#include "optim/rmsprop.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {

template <class T>
void RMSprop::apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state) {
  const RMSpropOptions& o = options(group);
  const auto lr = static_cast<T>(o.lr);
  const auto alpha = static_cast<T>(o.alpha);
  const auto one_minus_alpha = static_cast<T>(1.0 - o.alpha);
  const auto eps = static_cast<T>(o.eps);
  xt::xarray<T> decayed;
  const xt::xarray<T>& g = with_weight_decay(grad, param, o.weight_decay, decayed);

  auto& square_avg = state.buffer("square_avg", param);
  xt::noalias(square_avg) = alpha * square_avg + one_minus_alpha * g * g;

  // Takes the denominator as an unevaluated expression so that neither variant allocates it.
  auto apply = [&](const auto& avg) {
    if (o.momentum > 0.0) {
      auto& buffer = state.buffer("momentum_buffer", param);
      xt::noalias(buffer) = static_cast<T>(o.momentum) * buffer + g / avg;
      xt::noalias(param) -= lr * buffer;
    } else {
      xt::noalias(param) -= lr * g / avg;
    }
  };
  if (o.centered) {
    auto& grad_avg = state.buffer("grad_avg", param);
    xt::noalias(grad_avg) = alpha * grad_avg + one_minus_alpha * g;
    apply(xt::sqrt(square_avg - grad_avg * grad_avg) + eps);
  } else {
    apply(xt::sqrt(square_avg) + eps);
  }
}

template void RMSprop::apply(std::size_t, xt::xarray<float>&, const xt::xarray<float>&, ParamState&);
template void RMSprop::apply(std::size_t, xt::xarray<double>&, const xt::xarray<double>&, ParamStateD&);

}  // namespace tg::optim
