#include "autograd/array_pool.hpp"

#include <array>
#include <functional>
#include <numeric>
#include <vector>

#include <sanitizer/asan_interface.h>
#include <xtensor/xstrides.hpp>

#include "autograd/thread_local.hpp"

namespace tg::detail {
namespace {

constexpr std::size_t cached_per_size = 1 << 12;    // a tape of a few thousand small ops
constexpr std::size_t cached_bytes = 16 << 20;      // per thread and element type, at most

template <class T>
struct BufferLists {
  using Buffer = typename xt::xarray<T>::storage_type;
  std::array<std::vector<Buffer>, pooled_elements + 1> lists;  // by element count
  std::size_t bytes = 0;
};

template <class T>
BufferLists<T>* thread_lists() {
  return PerThread<BufferLists<T>>::get();
}

}  // namespace

template <class T>
xt::xarray<T> uninitialized_array(const typename xt::xarray<T>::shape_type& shape) {
  using Array = xt::xarray<T>;
  const std::size_t count = std::accumulate(shape.begin(), shape.end(), std::size_t(1), std::multiplies<>());
  typename Array::storage_type buffer;
  BufferLists<T>* pool = count <= pooled_elements ? thread_lists<T>() : nullptr;
  if (pool && !pool->lists[count].empty()) {
    buffer = std::move(pool->lists[count].back());
    pool->lists[count].pop_back();
    pool->bytes -= count * sizeof(T);
    ASAN_UNPOISON_MEMORY_REGION(buffer.data(), count * sizeof(T));
  } else {
    buffer.resize(count);
  }
  typename Array::inner_strides_type strides(shape.size());
  xt::compute_strides(shape, xt::layout_type::row_major, strides);
  return Array(std::move(buffer), typename Array::inner_shape_type(shape.begin(), shape.end()), std::move(strides));
}

template <class T>
void recycle_buffer(xt::xarray<T>& value) noexcept {
  auto& buffer = value.storage();
  const std::size_t count = buffer.size();
  if (count == 0 || count > pooled_elements) return;
  BufferLists<T>* pool = thread_lists<T>();
  if (!pool || pool->lists[count].size() >= cached_per_size || pool->bytes + count * sizeof(T) > cached_bytes) return;
  try {
    pool->lists[count].push_back(std::move(buffer));
    pool->bytes += count * sizeof(T);
    // Under AddressSanitizer a cached buffer reads as freed, so a use after free is still caught.
    ASAN_POISON_MEMORY_REGION(pool->lists[count].back().data(), count * sizeof(T));
  } catch (...) {  // no room to remember it: the array frees it
  }
}

template xt::xarray<float> uninitialized_array<float>(const xt::xarray<float>::shape_type&);
template xt::xarray<double> uninitialized_array<double>(const xt::xarray<double>::shape_type&);
template void recycle_buffer<float>(xt::xarray<float>&) noexcept;
template void recycle_buffer<double>(xt::xarray<double>&) noexcept;

}  // namespace tg::detail
