#include "nn/sequential.hpp"

namespace tg::nn {

template <class T>
BasicTensor<T> BasicSequential<T>::forward(const BasicTensor<T>& x) {
  BasicTensor<T> y = x;
  for (const auto& layer : layers_) y = (*layer)(y);
  return y;
}

template <class T>
const std::shared_ptr<BasicModule<T>>& BasicSequential<T>::operator[](std::size_t i) const {
  if (i >= layers_.size())
    throw Error("Sequential: index " + std::to_string(i) + " is out of range for " + std::to_string(layers_.size()) +
                " modules");
  return layers_[i];
}

template class BasicSequential<float>;
template class BasicSequential<double>;

}  // namespace tg::nn
