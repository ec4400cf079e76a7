#pragma once
// Operations that move elements without changing them, each paired with its transpose:
// reshape <-> reshape, permute <-> inverse permute, slice <-> pad, concat <-> slices.
#include <cstddef>
#include <limits>
#include <vector>

#include "autograd/tensor.hpp"

namespace tg {

// One axis of a slice, python style: negative start/stop count from the end.
struct Slice {
  static constexpr std::ptrdiff_t End = std::numeric_limits<std::ptrdiff_t>::max();
  std::ptrdiff_t start = 0;
  std::ptrdiff_t stop = End;
  std::ptrdiff_t step = 1;  // positive
};

template <class T> BasicTensor<T> reshape(const BasicTensor<T>& x, const Shape& shape);
template <class T> BasicTensor<T> transpose(const BasicTensor<T>& x);  // swaps the last two axes
template <class T> BasicTensor<T> permute(const BasicTensor<T>& x, const Axes& axes);
// Axes past the given slices are taken whole.
template <class T> BasicTensor<T> slice(const BasicTensor<T>& x, const std::vector<Slice>& slices);
// The transpose of slice: x placed at `slices` inside zeros of `shape`.
template <class T> BasicTensor<T> pad_slice(const BasicTensor<T>& x, const Shape& shape, const std::vector<Slice>& slices);
template <class T> BasicTensor<T> concat(const std::vector<BasicTensor<T>>& xs, int axis = 0);
template <class T> BasicTensor<T> stack(const std::vector<BasicTensor<T>>& xs, int axis = 0);

inline Tensor concat(std::initializer_list<Tensor> xs, int axis = 0) { return concat<float>(xs, axis); }
inline TensorD concat(std::initializer_list<TensorD> xs, int axis = 0) { return concat<double>(xs, axis); }
inline Tensor stack(std::initializer_list<Tensor> xs, int axis = 0) { return stack<float>(xs, axis); }
inline TensorD stack(std::initializer_list<TensorD> xs, int axis = 0) { return stack<double>(xs, axis); }

}  // namespace tg
