#pragma once
// libtorch's intra-op and inter-op pools both get `threads`; call it before any tensor work.
#include <torch/torch.h>

namespace bench {

inline void set_threads(int threads) {
  torch::set_num_threads(threads);
  torch::set_num_interop_threads(threads);
}

}  // namespace bench
