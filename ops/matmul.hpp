#pragma once
// Matrix product with numpy's rules: 1-D operands are promoted and the added axis removed,
// leading (batch) axes broadcast. Runs on BLAS.
#include "autograd/tensor.hpp"

namespace tg {

template <class T> BasicTensor<T> matmul(const BasicTensor<T>& a, const BasicTensor<T>& b);

}  // namespace tg
