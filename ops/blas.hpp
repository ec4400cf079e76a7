#pragma once
// The BLAS that matmul and convolutions run on (OpenBLAS): its thread count and its kernels.
#include <cstddef>
#include <string>

namespace tg {

// Threads BLAS may use for matmul and convolutions (OpenBLAS's own pool).
void set_num_threads(int threads);
int num_threads();

// The CPU kernels OpenBLAS runs, e.g. "SkylakeX", "Haswell" or "Prescott".
//
// OpenBLAS chooses them once, when it is loaded, from a list of CPU models. Versions that do not
// know the CPU (0.3.21, Debian 12's, on Intel family 6 model 207) fall back to the SSE3
// "Prescott" kernels, 4-5x slower than the AVX-512 ones the CPU runs. On first use tapegrad
// then chooses by the CPU's features instead, as OpenBLAS does for CPUs it finds no model for:
// AVX-512 -> SkylakeX, AVX2 -> Haswell. An OPENBLAS_CORETYPE set by the user is always kept.
std::string blas_kernels();

namespace detail {
// Makes the choice above; gemm calls it first (cheap after the first time).
void prepare_blas();

// c (m x n) = alpha * op(a) (m x k) * op(b) (k x n) + beta * c, row-major with leading
// dimensions lda, ldb, ldc; op transposes where asked. The one way tapegrad calls BLAS.
template <class T>
void gemm(bool transpose_a, bool transpose_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc);
}  // namespace detail

}  // namespace tg
