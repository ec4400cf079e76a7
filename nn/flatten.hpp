#pragma once
// Flatten: (N, d1, d2, ...) -> (N, d1 * d2 * ...), e.g. images before a Linear layer.
#include "nn/module.hpp"

namespace tg::nn {

template <class T>
class BasicFlatten : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Flatten"; }
};

using Flatten = BasicFlatten<float>;

extern template class BasicFlatten<float>;
extern template class BasicFlatten<double>;

}  // namespace tg::nn
