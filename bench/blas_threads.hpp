#pragma once
// tapegrad computes in parallel only inside BLAS: OpenBLAS's thread count is its thread count.
extern "C" void openblas_set_num_threads(int threads);

namespace bench {

inline void set_threads(int threads) { openblas_set_num_threads(threads); }

}  // namespace bench
