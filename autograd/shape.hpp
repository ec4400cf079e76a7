#pragma once
// Shapes and axes: printing, normalizing negative axes, numpy broadcasting.
#include <cstddef>
#include <string>
#include <vector>

#include "autograd/error.hpp"

namespace tg {

using Shape = std::vector<std::size_t>;
using Axes = std::vector<int>;  // negative axes count from the end

// "(64,784)"
template <class S>
std::string shape_str(const S& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + ")";
}

template <class S>
Shape to_shape(const S& shape) {
  return Shape(shape.begin(), shape.end());
}

// Maps a possibly negative axis into [0, ndim); `op` names the caller in the error.
std::size_t normalize_axis(int axis, std::size_t ndim, const char* op);

// Normalized, sorted, duplicate-free axes; an empty list means every axis.
std::vector<std::size_t> normalize_axes(const Axes& axes, std::size_t ndim, const char* op);

// numpy broadcasting of two shapes; throws naming `op` and both shapes when they do not fit.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op);

// Whether numpy broadcasting stretches `from` to `to`: each of from's axes, aligned at the end,
// is 1 or equal to to's, and `to` has at least as many: a gradient of shape `to` sums back to `from`.
template <class A, class B>
bool broadcasts_to(const A& from, const B& to) {
  if (from.size() > to.size()) return false;
  const std::size_t lead = to.size() - from.size();
  for (std::size_t i = 0; i < from.size(); ++i)
    if (from[i] != 1 && from[i] != to[lead + i]) return false;
  return true;
}

}  // namespace tg
