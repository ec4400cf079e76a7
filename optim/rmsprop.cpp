#include "optim/rmsprop.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {

void validate(const RMSpropOptions& options, const std::string& name) {
  if (!(options.lr >= 0.0)) throw Error(name + ": invalid learning rate " + std::to_string(options.lr));
  if (!(options.eps >= 0.0)) throw Error(name + ": invalid eps " + std::to_string(options.eps));
  if (!(options.alpha >= 0.0)) throw Error(name + ": invalid alpha " + std::to_string(options.alpha));
  if (!(options.momentum >= 0.0)) throw Error(name + ": invalid momentum " + std::to_string(options.momentum));
  if (!(options.weight_decay >= 0.0))
    throw Error(name + ": invalid weight_decay " + std::to_string(options.weight_decay));
}

void RMSprop::update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  const RMSpropOptions& o = options(group);
  const auto lr = static_cast<float>(o.lr);
  const auto alpha = static_cast<float>(o.alpha);
  const auto one_minus_alpha = static_cast<float>(1.0 - o.alpha);
  const auto eps = static_cast<float>(o.eps);
  xt::xarray<float> decayed;
  const xt::xarray<float>& g = with_weight_decay(grad, param, o.weight_decay, decayed);

  auto& square_avg = state.buffer("square_avg", param);
  xt::noalias(square_avg) = alpha * square_avg + one_minus_alpha * g * g;

  // Takes the denominator as an unevaluated expression so that neither variant allocates it.
  auto apply = [&](const auto& avg) {
    if (o.momentum > 0.0) {
      auto& buffer = state.buffer("momentum_buffer", param);
      xt::noalias(buffer) = static_cast<float>(o.momentum) * buffer + g / avg;
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

}  // namespace tg::optim
