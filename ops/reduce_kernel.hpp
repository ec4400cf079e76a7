#pragma once
// Reduction loops over (outer, axis, inner) blocks: xtensor's lazy reducers are ~40x slower
// over non-innermost axes and its immediate ones mishandle full reductions.
#include <algorithm>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/array_pool.hpp"

namespace tg::kernel {

template <class T>
T max_of(T a, T b) {
  return a < b || a != a ? b : a;  // NaN propagates
}

// Reduces `x` over the sorted axes with `op`, keeping them as length 1.
template <class T, class Op>
xt::xarray<T> reduce_keepdims(const xt::xarray<T>& x, const std::vector<std::size_t>& axes, T init, Op op) {
  if (axes.empty()) return x;
  xt::xarray<T> cur;
  const xt::xarray<T>* from = &x;  // the first pass reads x itself: no copy of the input
  for (auto it = axes.rbegin(); it != axes.rend(); ++it) {
    const std::size_t a = *it;
    const auto& shape = from->shape();
    std::size_t outer = 1, inner = 1;
    for (std::size_t d = 0; d < a; ++d) outer *= shape[d];
    for (std::size_t d = a + 1; d < shape.size(); ++d) inner *= shape[d];
    const std::size_t n = shape[a];
    auto out_shape = shape;
    out_shape[a] = 1;
    xt::xarray<T> out = tg::detail::uninitialized_array<T>(out_shape);
    const T* src = from->data();
    T* dst = out.data();
    for (std::size_t o = 0; o < outer; ++o) {
      T* row = dst + o * inner;
      std::fill(row, row + inner, init);
      for (std::size_t k = 0; k < n; ++k) {
        const T* in = src + (o * n + k) * inner;
        for (std::size_t i = 0; i < inner; ++i) row[i] = op(row[i], in[i]);
      }
    }
    cur = std::move(out);
    from = &cur;
  }
  return cur;
}

}  // namespace tg::kernel
