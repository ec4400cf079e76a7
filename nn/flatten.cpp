#include "nn/flatten.hpp"

#include "ops/shape.hpp"

namespace tg::nn {

template <class T>
BasicTensor<T> BasicFlatten<T>::forward(const BasicTensor<T>& x) {
  const Shape shape = x.shape();
  if (shape.empty()) throw Error("Flatten: the input is a scalar; it needs a batch axis");
  std::size_t features = 1;
  for (std::size_t d = 1; d < shape.size(); ++d) features *= shape[d];
  return reshape(x, {shape[0], features});
}

template class BasicFlatten<float>;
template class BasicFlatten<double>;

}  // namespace tg::nn
