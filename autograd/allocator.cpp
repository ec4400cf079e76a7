#include "autograd/allocator.hpp"

#include <sanitizer/asan_interface.h>

#include <array>
#include <vector>

#include "autograd/thread_local.hpp"

namespace tg::detail {
namespace {

constexpr std::size_t granularity = 32;       // size classes of 32, 64, ... bytes
constexpr std::size_t classes = 16;           // up to 512 bytes; larger blocks go to the heap
constexpr std::size_t cached_per_class = 1 << 14;  // what a list keeps; the rest is freed

struct FreeLists {
  std::array<std::vector<void*>, classes> lists;
  FreeLists() = default;
  FreeLists(const FreeLists&) = delete;
  FreeLists& operator=(const FreeLists&) = delete;
  ~FreeLists() {
    for (auto& list : lists)
      for (void* block : list) ::operator delete(block);
  }
};

std::size_t size_class(std::size_t bytes) { return (bytes + granularity - 1) / granularity - 1; }

}  // namespace

void* pool_allocate(std::size_t bytes) {
  const std::size_t c = size_class(bytes);
  if (c >= classes) return ::operator new(bytes);
  if (FreeLists* pool = PerThread<FreeLists>::get(); pool && !pool->lists[c].empty()) {
    auto& list = pool->lists[c];
    void* block = list.back();
    list.pop_back();
    ASAN_UNPOISON_MEMORY_REGION(block, (c + 1) * granularity);
    return block;
  }
  return ::operator new((c + 1) * granularity);
}

void pool_deallocate(void* block, std::size_t bytes) noexcept {
  const std::size_t c = size_class(bytes);
  if (c < classes)
    if (FreeLists* pool = PerThread<FreeLists>::get(); pool && pool->lists[c].size() < cached_per_class) {
      try {
        pool->lists[c].push_back(block);
        // Under AddressSanitizer a cached block reads as freed, so a use after free is still caught.
        ASAN_POISON_MEMORY_REGION(block, (c + 1) * granularity);
        return;
      } catch (...) {  // no room to remember it: give it back instead
      }
    }
  ::operator delete(block);
}

}  // namespace tg::detail
