#pragma once
// Threads for the passes that BLAS does not run (im2col, col2im, pooling), as many as BLAS may
// use (tg::set_num_threads). Their workers sleep when idle instead of spinning, so that they
// never take a core from OpenBLAS's own workers.
#include <cstddef>
#include <functional>

namespace tg::detail {

// Below this many element operations a pass stays on the calling thread: waking a worker costs
// a few microseconds.
inline constexpr std::size_t parallel_grain = std::size_t(1) << 15;

// Calls body(begin, end) on disjoint ranges that cover [0, count), at the same time on up to
// num_threads() threads, when count * cost_per_item reaches parallel_grain; otherwise once, on
// the calling thread, with the whole range. A call made inside a body, or while another thread's
// call runs, stays on its own thread. An exception thrown by a body is rethrown here once every
// range has finished.
void parallel_for(std::size_t count, std::size_t cost_per_item,
                  const std::function<void(std::size_t begin, std::size_t end)>& body);

}  // namespace tg::detail
