#pragma once
// The one way tapegrad calls BLAS (OpenBLAS) for matmul and convolutions.
#include <cstddef>

#include "ops/cpu/settings.hpp"

namespace tg::detail {

// c (m x n) = alpha * op(a) (m x k) * op(b) (k x n) + beta * c, row-major with leading
// dimensions lda, ldb, ldc; op transposes where asked.
template <class T>
void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);

}  // namespace tg::detail
