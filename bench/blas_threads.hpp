#pragma once
// tapegrad computes in parallel only inside BLAS: OpenBLAS's thread count is its thread count.
#include "ops/cpu/settings.hpp"

namespace bench {

inline void set_threads(int threads) { tg::set_num_threads(threads); }

}  // namespace bench
