// Large temporaries come back every step (im2col columns, activations and their gradients: tens
// of MB each in a CNN). glibc hands blocks above its mmap threshold back to the kernel when they
// are freed and trims the free top of its heap, so each step faults every page in afresh: a
// fifth of W2's time went to the kernel. When the library is loaded, blocks up to 1 GiB come
// from the heap and up to 1 GiB of free heap is kept for reuse, as a caching allocator would.
// Where the user tunes malloc (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ or GLIBC_TUNABLES
// set) nothing is changed.
#include <cstdlib>
#include <initializer_list>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tg::detail {
namespace {

constexpr int kept_bytes = 1 << 30;

bool keep_big_buffers() {
#if defined(__GLIBC__)
  for (const char* tuned : {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES"})
    if (std::getenv(tuned)) return false;
  return mallopt(M_MMAP_THRESHOLD, kept_bytes) == 1 && mallopt(M_TRIM_THRESHOLD, kept_bytes) == 1;
#else
  return false;
#endif
}

[[maybe_unused]] const bool kept = keep_big_buffers();

}  // namespace
}  // namespace tg::detail
