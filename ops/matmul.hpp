#pragma once
// Matrix product with numpy's rules: 1-D operands are promoted and the added axis removed,
// leading (batch) axes broadcast. Runs on BLAS; a transposed operand is read in place by
// BLAS rather than copied, which is what Linear layers and every matmul gradient need.
#include "autograd/tensor.hpp"
#include "ops/cpu/settings.hpp"  // set_num_threads

namespace tg {

struct MatmulOptions {
  bool transpose_a = false;  // use the transpose of a's last two axes
  bool transpose_b = false;
};

template <class T>
BasicTensor<T> matmul(const BasicTensor<T>& a, const BasicTensor<T>& b, const MatmulOptions& options = {});

}  // namespace tg
