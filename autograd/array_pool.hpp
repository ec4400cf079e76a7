#pragma once
// Recycled buffers for small arrays. xtensor allocates every array's data with posix_memalign
// (64-byte alignment for AVX-512), which glibc 2.36 serves outside its thread caches, under the
// arena lock, splitting and freeing the padding each time: the largest cost of a recorded op on
// a few numbers. Buffers of up to pooled_elements elements are kept per thread by exact size
// when an array dies and handed to the next array of that size.
#include <cstddef>
#include <type_traits>
#include <utility>

#include <xtensor/xarray.hpp>
#include <xtensor/xnoalias.hpp>

namespace tg::detail {

inline constexpr std::size_t pooled_elements = 1024;

// An array of `shape` with unspecified values, its buffer recycled when one of its size is free.
template <class T>
xt::xarray<T> uninitialized_array(const typename xt::xarray<T>::shape_type& shape);

// Keeps the buffer of an array about to be destroyed (left without data) for the next array of its size.
template <class T>
void recycle_buffer(xt::xarray<T>& value) noexcept;

// The value of an operation as an array: a moved array as is, anything else (an expression, an
// array to copy) evaluated into a recycled buffer.
template <class T, class E>
xt::xarray<T> evaluate(E&& value) {
  if constexpr (std::is_same_v<E, xt::xarray<T>>) {  // an rvalue array: take it
    return std::move(value);
  } else {
    xt::xarray<T> out = uninitialized_array<T>(value.shape());
    xt::noalias(out) = std::forward<E>(value);
    return out;
  }
}

extern template xt::xarray<float> uninitialized_array<float>(const xt::xarray<float>::shape_type&);
extern template xt::xarray<double> uninitialized_array<double>(const xt::xarray<double>::shape_type&);
extern template void recycle_buffer<float>(xt::xarray<float>&) noexcept;
extern template void recycle_buffer<double>(xt::xarray<double>&) noexcept;

}  // namespace tg::detail
