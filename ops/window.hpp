#pragma once
// The geometry of a window slid over the last two axes of an NCHW tensor: what convolution,
// pooling, im2col and col2im share.
#include <cstddef>
#include <string>

#include "autograd/shape.hpp"

namespace tg {

// A (height, width) pair; a single number means the same for both axes: `.stride = 2`,
// `.padding = {1, 0}`.
struct Size2d {
  std::size_t h = 0;
  std::size_t w = 0;
  Size2d() = default;
  Size2d(std::size_t both) : h(both), w(both) {}
  Size2d(std::size_t h, std::size_t w) : h(h), w(w) {}
  bool operator==(const Size2d&) const = default;
};

std::string size2d_str(Size2d s);  // "3x2"

struct Window2d {
  Size2d kernel;
  Size2d stride = 1;
  Size2d padding = 0;  // added on both sides of each axis
  Size2d dilation = 1;  // distance between the elements a kernel reads
};

// The output positions [lo, hi) along one axis whose input position o * stride + offset lies
// inside [0, extent), of `outputs` positions; offset = kernel position * dilation - padding.
// A kernel position's share of the output, without a bounds test per element.
struct OutputRange {
  std::size_t lo;
  std::size_t hi;
};
OutputRange outputs_inside(std::ptrdiff_t offset, std::size_t stride, std::size_t extent, std::size_t outputs);

// The output height and width of `window` slid over `input` (N,C,H,W). Throws naming `op`
// when the input is not 4-D, a setting is zero, or the dilated kernel is larger than the
// padded input.
Size2d window_output(const Window2d& window, const Shape& input, const char* op);

}  // namespace tg
