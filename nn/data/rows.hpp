#pragma once
// Samples picked by index from a data set held in memory: how a batch is made.
#include <algorithm>
#include <cstddef>
#include <span>

#include <xtensor/xarray.hpp>

#include "nn/labels.hpp"

namespace tg::nn {

// The rows `indices` of `values` (N, ...), stacked into (indices.size(), ...).
template <class T>
xt::xarray<T> gather_rows(const xt::xarray<T>& values, std::span<const std::size_t> indices) {
  auto shape = values.shape();
  const std::size_t row = shape[0] ? values.size() / shape[0] : 0;
  shape[0] = indices.size();
  auto out = xt::xarray<T>::from_shape(shape);
  for (std::size_t i = 0; i < indices.size(); ++i)
    std::copy_n(values.data() + indices[i] * row, row, out.data() + i * row);
  return out;
}

inline Labels gather_labels(const Labels& labels, std::span<const std::size_t> indices) {
  Labels out(indices.size());
  for (std::size_t i = 0; i < indices.size(); ++i) out[i] = labels[indices[i]];
  return out;
}

}  // namespace tg::nn
