#include "optim/sgd.hpp"

#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {

void validate(const SGDOptions& options, const std::string& name) {
  if (!(options.lr >= 0.0)) throw Error(name + ": invalid learning rate " + std::to_string(options.lr));
  if (!(options.momentum >= 0.0)) throw Error(name + ": invalid momentum " + std::to_string(options.momentum));
  if (!(options.weight_decay >= 0.0))
    throw Error(name + ": invalid weight_decay " + std::to_string(options.weight_decay));
  if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0))
    throw Error(name + ": Nesterov momentum requires a momentum > 0 and zero dampening (momentum " +
                std::to_string(options.momentum) + ", dampening " + std::to_string(options.dampening) + ")");
}

void SGD::update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) {
  const SGDOptions& o = options(group);
  const auto lr = static_cast<float>(o.lr);
  xt::xarray<float> decayed;
  const xt::xarray<float>& d = with_weight_decay(grad, param, o.weight_decay, decayed);
  // param appears on the right only elementwise, so writing it without a temporary is safe.
  if (o.momentum == 0.0) {
    xt::noalias(param) -= lr * d;
    return;
  }
  const auto momentum = static_cast<float>(o.momentum);
  auto buffer = state.buffers.find("momentum_buffer");
  if (buffer == state.buffers.end()) {
    buffer = state.buffers.emplace("momentum_buffer", d).first;
  } else {
    xt::noalias(buffer->second) = momentum * buffer->second + static_cast<float>(1.0 - o.dampening) * d;
  }
  if (o.nesterov) xt::noalias(param) -= lr * (d + momentum * buffer->second);
  else xt::noalias(param) -= lr * buffer->second;
}

}  // namespace tg::optim
