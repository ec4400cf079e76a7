#include "optim/clip_grad.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {
namespace {

template <class T>
double grad_norm(const xt::xarray<T>& g, double norm_type) {
  if (std::isinf(norm_type)) return g.size() == 0 ? 0.0 : static_cast<double>(xt::amax(xt::abs(g))());
  if (norm_type == 2.0) return std::sqrt(xt::sum<double>(g * g)());
  if (norm_type == 1.0) return xt::sum<double>(xt::abs(g))();
  return std::pow(xt::sum<double>(xt::pow(xt::abs(g), static_cast<T>(norm_type)))(), 1.0 / norm_type);
}

template <class T>
double clip_norm(const std::vector<BasicTensor<T>>& params, double max_norm, double norm_type) {
  if (!(norm_type > 0.0))
    throw Error("clip_grad_norm: norm_type must be > 0 or infinity, got " + std::to_string(norm_type));
  if (!(max_norm >= 0.0)) throw Error("clip_grad_norm: invalid max_norm " + std::to_string(max_norm));
  const bool inf_norm = std::isinf(norm_type);
  double total = 0.0;
  for (const auto& param : params) {
    const auto grad = param.grad();
    if (!grad.defined()) continue;
    const double norm = grad_norm(grad.value(), norm_type);
    total = inf_norm ? std::max(total, norm) : total + std::pow(norm, norm_type);
  }
  if (!inf_norm) total = std::pow(total, 1.0 / norm_type);

  const double clip_coef = max_norm / (total + 1e-6);
  if (clip_coef < 1.0)
    for (BasicTensor<T> param : params)
      if (param.grad().defined()) param.mutable_grad() *= static_cast<T>(clip_coef);
  return total;
}

template <class T>
void clip_values(const std::vector<BasicTensor<T>>& params, double clip_value) {
  if (!(clip_value >= 0.0)) throw Error("clip_grad_value: invalid clip_value " + std::to_string(clip_value));
  const auto clip = static_cast<T>(clip_value);
  for (BasicTensor<T> param : params) {
    if (!param.grad().defined()) continue;
    auto& g = param.mutable_grad();
    xt::noalias(g) = xt::clip(g, -clip, clip);
  }
}

}  // namespace

double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type) {
  return clip_norm(params, max_norm, norm_type);
}
double clip_grad_norm(const std::vector<TensorD>& params, double max_norm, double norm_type) {
  return clip_norm(params, max_norm, norm_type);
}
void clip_grad_value(const std::vector<Tensor>& params, double clip_value) { clip_values(params, clip_value); }
void clip_grad_value(const std::vector<TensorD>& params, double clip_value) { clip_values(params, clip_value); }

}  // namespace tg::optim
