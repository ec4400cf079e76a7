#include "optim/adam.hpp"

#include <cmath>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {
namespace {

// The moment updates and the step shared by Adam and AdamW; `grad` already carries any L2 term.
template <class Options, class T>
void adam_step(const Options& o, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state) {
  const auto [beta1, beta2] = o.betas;
  auto& exp_avg = state.buffer("exp_avg", param);
  auto& exp_avg_sq = state.buffer("exp_avg_sq", param);
  xt::noalias(exp_avg) = static_cast<T>(beta1) * exp_avg + static_cast<T>(1.0 - beta1) * grad;
  xt::noalias(exp_avg_sq) = static_cast<T>(beta2) * exp_avg_sq + static_cast<T>(1.0 - beta2) * grad * grad;

  const double t = static_cast<double>(state.step);
  const auto step_size = static_cast<T>(o.lr / (1.0 - std::pow(beta1, t)));
  const auto bias_correction2_sqrt = static_cast<T>(std::sqrt(1.0 - std::pow(beta2, t)));
  const auto eps = static_cast<T>(o.eps);
  if (o.amsgrad) {
    auto& max_exp_avg_sq = state.buffer("max_exp_avg_sq", param);
    xt::noalias(max_exp_avg_sq) = xt::maximum(max_exp_avg_sq, exp_avg_sq);
    xt::noalias(param) -= step_size * exp_avg / (xt::sqrt(max_exp_avg_sq) / bias_correction2_sqrt + eps);
  } else {
    xt::noalias(param) -= step_size * exp_avg / (xt::sqrt(exp_avg_sq) / bias_correction2_sqrt + eps);
  }
}

}  // namespace

template <class T>
void Adam::apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state) {
  const AdamOptions& o = options(group);
  xt::xarray<T> decayed;
  adam_step(o, param, with_weight_decay(grad, param, o.weight_decay, decayed), state);
}

template <class T>
void AdamW::apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state) {
  const AdamWOptions& o = options(group);
  if (o.weight_decay != 0.0) param *= static_cast<T>(1.0 - o.lr * o.weight_decay);
  adam_step(o, param, grad, state);
}

template void Adam::apply(std::size_t, xt::xarray<float>&, const xt::xarray<float>&, ParamState&);
template void Adam::apply(std::size_t, xt::xarray<double>&, const xt::xarray<double>&, ParamStateD&);

template void AdamW::apply(std::size_t, xt::xarray<float>&, const xt::xarray<float>&, ParamState&);
template void AdamW::apply(std::size_t, xt::xarray<double>&, const xt::xarray<double>&, ParamStateD&);

}  // namespace tg::optim
