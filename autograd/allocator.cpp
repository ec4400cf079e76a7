#include "autograd/allocator.hpp"

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
  ~FreeLists();
};

TG_THREAD_LOCAL bool lists_gone = false;  // trivially destructible: readable during thread exit
TG_THREAD_LOCAL FreeLists free_lists;

FreeLists::~FreeLists() {
  for (auto& list : lists)
    for (void* block : list) ::operator delete(block);
  lists_gone = true;
}

std::size_t size_class(std::size_t bytes) { return (bytes + granularity - 1) / granularity - 1; }

}  // namespace

void* pool_allocate(std::size_t bytes) {
  const std::size_t c = size_class(bytes);
  if (c < classes && !lists_gone) {
    auto& list = free_lists.lists[c];
    if (!list.empty()) {
      void* block = list.back();
      list.pop_back();
      return block;
    }
    return ::operator new((c + 1) * granularity);
  }
  return ::operator new(bytes);
}

void pool_deallocate(void* block, std::size_t bytes) noexcept {
  const std::size_t c = size_class(bytes);
  if (c < classes && !lists_gone) {
    auto& list = free_lists.lists[c];
    if (list.size() < cached_per_class) {
      try {
        list.push_back(block);
        return;
      } catch (...) {  // no room to remember it: give it back instead
      }
    }
  }
  ::operator delete(block);
}

}  // namespace tg::detail
