#include "nn/flatten.hpp"

#include "ops/shape.hpp"

namespace tg::nn {

Tensor Flatten::forward(const Tensor& x) {
  const Shape shape = x.shape();
  if (shape.empty()) throw Error("Flatten: the input is a scalar; it needs a batch axis");
  std::size_t features = 1;
  for (std::size_t d = 1; d < shape.size(); ++d) features *= shape[d];
  return reshape(x, {shape[0], features});
}

}  // namespace tg::nn
