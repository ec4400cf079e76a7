#include "optim/adagrad.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {

void validate(const AdagradOptions& options, const std::string& name) {
  if (!(options.lr >= 0.0)) throw Error(name + ": invalid learning rate " + std::to_string(options.lr));
  if (!(options.lr_decay >= 0.0)) throw Error(name + ": invalid lr_decay " + std::to_string(options.lr_decay));
  if (!(options.weight_decay >= 0.0))
    throw Error(name + ": invalid weight_decay " + std::to_string(options.weight_decay));
  if (!(options.initial_accumulator_value >= 0.0))
    throw Error(name + ": invalid initial_accumulator_value " + std::to_string(options.initial_accumulator_value));
  if (!(options.eps >= 0.0)) throw Error(name + ": invalid eps " + std::to_string(options.eps));
}

void Adagrad::update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  const AdagradOptions& o = options(group);
  xt::xarray<float> decayed;
  const xt::xarray<float>& g = with_weight_decay(grad, param, o.weight_decay, decayed);
  auto& sum = state.buffer("sum", param, static_cast<float>(o.initial_accumulator_value));
  xt::noalias(sum) += g * g;
  const auto clr = static_cast<float>(o.lr / (1.0 + static_cast<double>(state.step - 1) * o.lr_decay));
  xt::noalias(param) -= clr * g / (xt::sqrt(sum) + static_cast<float>(o.eps));
}

}  // namespace tg::optim
