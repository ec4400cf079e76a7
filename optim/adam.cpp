#include "optim/adam.hpp"

#include <cmath>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {
namespace {

template <class Options>
void check(const Options& options, const std::string& name) {
  if (!(options.lr >= 0.0)) throw Error(name + ": invalid learning rate " + std::to_string(options.lr));
  if (!(options.eps >= 0.0)) throw Error(name + ": invalid eps " + std::to_string(options.eps));
  if (!(options.betas.first >= 0.0 && options.betas.first < 1.0))
    throw Error(name + ": invalid beta at index 0: " + std::to_string(options.betas.first) + " (must be in [0, 1))");
  if (!(options.betas.second >= 0.0 && options.betas.second < 1.0))
    throw Error(name + ": invalid beta at index 1: " + std::to_string(options.betas.second) + " (must be in [0, 1))");
  if (!(options.weight_decay >= 0.0))
    throw Error(name + ": invalid weight_decay " + std::to_string(options.weight_decay));
}

// The moment updates and the step shared by Adam and AdamW; `grad` already carries any L2 term.
template <class Options>
void adam_step(const Options& o, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  const auto [beta1, beta2] = o.betas;
  auto& exp_avg = state.buffer("exp_avg", param);
  auto& exp_avg_sq = state.buffer("exp_avg_sq", param);
  xt::noalias(exp_avg) = static_cast<float>(beta1) * exp_avg + static_cast<float>(1.0 - beta1) * grad;
  xt::noalias(exp_avg_sq) = static_cast<float>(beta2) * exp_avg_sq + static_cast<float>(1.0 - beta2) * grad * grad;

  const double t = static_cast<double>(state.step);
  const auto step_size = static_cast<float>(o.lr / (1.0 - std::pow(beta1, t)));
  const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(beta2, t)));
  const auto eps = static_cast<float>(o.eps);
  if (o.amsgrad) {
    auto& max_exp_avg_sq = state.buffer("max_exp_avg_sq", param);
    xt::noalias(max_exp_avg_sq) = xt::maximum(max_exp_avg_sq, exp_avg_sq);
    xt::noalias(param) -= step_size * exp_avg / (xt::sqrt(max_exp_avg_sq) / bias_correction2_sqrt + eps);
  } else {
    xt::noalias(param) -= step_size * exp_avg / (xt::sqrt(exp_avg_sq) / bias_correction2_sqrt + eps);
  }
}

}  // namespace

void validate(const AdamOptions& options, const std::string& name) { check(options, name); }
void validate(const AdamWOptions& options, const std::string& name) { check(options, name); }

void Adam::update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  const AdamOptions& o = options(group);
  xt::xarray<float> decayed;
  adam_step(o, param, with_weight_decay(grad, param, o.weight_decay, decayed), state);
}

void AdamW::update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  const AdamWOptions& o = options(group);
  if (o.weight_decay != 0.0) param *= static_cast<float>(1.0 - o.lr * o.weight_decay);
  adam_step(o, param, grad, state);
}

}  // namespace tg::optim
