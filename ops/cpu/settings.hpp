#pragma once
// How the arithmetic runs on this CPU: the threads it may use, the BLAS kernels it runs and
// whether subnormal floats are flushed to zero.
#include <string>

namespace tg {

// Threads for matmul and convolutions: BLAS's (OpenBLAS's own pool) and, as many, those of the
// passes around BLAS: im2col, col2im and pooling (ops/cpu/parallel.hpp).
void set_num_threads(int threads);
int num_threads();

// The CPU kernels OpenBLAS runs, e.g. "SkylakeX", "Haswell" or "Prescott". Where OpenBLAS does
// not know the CPU model it falls back to its SSE3 "Prescott" kernels; tapegrad then chooses by
// the CPU's features instead (AVX-512 -> SkylakeX, AVX2 -> Haswell), as OpenBLAS does for CPUs
// it finds no model for. An OPENBLAS_CORETYPE set by the user is always kept.
std::string blas_kernels();

// Subnormal numbers cost x86 CPUs a microcode assist per operation, and a saturated softmax
// sends gradients that small through a whole backward pass. Sets whether arithmetic on the
// calling thread flushes subnormal results to zero and reads subnormal inputs as zero (x86 FTZ
// and DAZ), as torch.set_flush_denormal does. Returns false, changing nothing, where the CPU has
// no such mode. Threads that already exist, such as OpenBLAS's workers, keep theirs.
bool set_flush_denormal(bool on);
bool flush_denormal();  // whether the calling thread flushes subnormals

namespace detail {
// Makes the kernel choice above; every BLAS call goes through it first (cheap after the first).
void prepare_blas();
}  // namespace detail

}  // namespace tg
