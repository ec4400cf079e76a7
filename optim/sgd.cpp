#include "optim/sgd.hpp"

#include <xtensor/xnoalias.hpp>

#include "autograd/shape.hpp"

namespace tg::optim {

void validate(const SGDOptions& options, const std::string& name) {
  if (options.nesterov && (options.momentum <= 0.0 || options.dampening != 0.0))
    throw Error(name + ": Nesterov momentum requires a momentum > 0 and zero dampening (momentum " +
                std::to_string(options.momentum) + ", dampening " + std::to_string(options.dampening) + ")");
}

template <class T>
void SGD::apply(std::size_t group, xt::xarray<T>& param, const xt::xarray<T>& grad, BasicParamState<T>& state) {
  const SGDOptions& o = options(group);
  const auto lr = static_cast<T>(o.lr);
  xt::xarray<T> decayed;
  const xt::xarray<T>& d = with_weight_decay(grad, param, o.weight_decay, decayed);
  // param appears on the right only elementwise, so writing it without a temporary is safe.
  if (o.momentum == 0.0) {
    xt::noalias(param) -= lr * d;
    return;
  }
  const auto momentum = static_cast<T>(o.momentum);
  auto buffer = state.buffers.find("momentum_buffer");
  if (buffer == state.buffers.end()) {
    buffer = state.buffers.emplace("momentum_buffer", d).first;
  } else {
    xt::noalias(buffer->second) = momentum * buffer->second + static_cast<T>(1.0 - o.dampening) * d;
  }
  if (o.nesterov) xt::noalias(param) -= lr * (d + momentum * buffer->second);
  else xt::noalias(param) -= lr * buffer->second;
}

template void SGD::apply(std::size_t, xt::xarray<float>&, const xt::xarray<float>&, ParamState&);
template void SGD::apply(std::size_t, xt::xarray<double>&, const xt::xarray<double>&, ParamStateD&);

}  // namespace tg::optim
