#include "autograd/shape.hpp"

#include <algorithm>

#include "autograd/element_count.hpp"

namespace tg {

std::size_t normalize_axis(int axis, std::size_t ndim, const char* op) {
  const auto n = static_cast<long>(ndim);
  const long a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n)
    throw Error(std::string(op) + ": axis " + std::to_string(axis) + " is out of range for a tensor with " +
                std::to_string(ndim) + " dimensions");
  return static_cast<std::size_t>(a);
}

std::vector<std::size_t> normalize_axes(const Axes& axes, std::size_t ndim, const char* op) {
  std::vector<std::size_t> out;
  if (axes.empty()) {
    for (std::size_t i = 0; i < ndim; ++i) out.push_back(i);
    return out;
  }
  for (int a : axes) out.push_back(normalize_axis(a, ndim, op));
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    throw Error(std::string(op) + ": an axis is repeated");
  return out;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* op) {
  Shape out(std::max(a.size(), b.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    const std::size_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1)
      throw Error(std::string(op) + ": shapes " + shape_str(a) + " and " + shape_str(b) + " cannot be broadcast together");
    out[i] = da == 1 ? db : da;
  }
  element_count(out, op);
  return out;
}

}  // namespace tg
