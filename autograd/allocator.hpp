#pragma once
// Recycled memory for the tape's small objects. Every recorded operation allocates a tensor, a
// node and their edges, and a backward sweep frees thousands of them at once; glibc's caches
// hold only a few blocks per size, so most of those go through its slow paths. Blocks here are
// kept per thread in lists by size class, up to a cap, and handed out again.
#include <cstddef>
#include <new>

namespace tg::detail {

void* pool_allocate(std::size_t bytes);
void pool_deallocate(void* block, std::size_t bytes) noexcept;

template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(pool_allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { pool_deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace tg::detail
