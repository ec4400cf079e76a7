#include "nn/sequential.hpp"

namespace tg::nn {

Tensor Sequential::forward(const Tensor& x) {
  Tensor y = x;
  for (const auto& layer : layers_) y = (*layer)(y);
  return y;
}

const std::shared_ptr<Module>& Sequential::operator[](std::size_t i) const {
  if (i >= layers_.size())
    throw Error("Sequential: index " + std::to_string(i) + " is out of range for " + std::to_string(layers_.size()) +
                " modules");
  return layers_[i];
}

}  // namespace tg::nn
