#include "ops/window.hpp"

#include <algorithm>

namespace tg {

OutputRange outputs_inside(std::ptrdiff_t offset, std::size_t stride, std::size_t extent, std::size_t outputs) {
  const auto s = static_cast<std::ptrdiff_t>(stride), n = static_cast<std::ptrdiff_t>(extent);
  const std::ptrdiff_t lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
  const std::ptrdiff_t hi = offset >= n ? 0 : (n - offset + s - 1) / s;
  const auto clamp = [outputs](std::ptrdiff_t v) {
    return std::min(static_cast<std::size_t>(std::max<std::ptrdiff_t>(v, 0)), outputs);
  };
  return {clamp(lo), std::max(clamp(lo), clamp(hi))};
}

std::string size2d_str(Size2d s) { return std::to_string(s.h) + "x" + std::to_string(s.w); }

Size2d window_output(const Window2d& window, const Shape& input, const char* op) {
  const std::string name(op);
  if (input.size() != 4) throw Error(name + ": the input must be (N,C,H,W), got shape " + shape_str(input));
  for (const auto& [what, s] : {std::pair{"kernel", window.kernel}, std::pair{"stride", window.stride},
                                std::pair{"dilation", window.dilation}})
    if (s.h == 0 || s.w == 0) throw Error(name + ": the " + what + " must be positive, got " + size2d_str(s));
  const Size2d span{window.dilation.h * (window.kernel.h - 1) + 1, window.dilation.w * (window.kernel.w - 1) + 1};
  const Size2d padded{input[2] + 2 * window.padding.h, input[3] + 2 * window.padding.w};
  if (span.h > padded.h || span.w > padded.w)
    throw Error(name + ": the kernel " + size2d_str(window.kernel) +
                (window.dilation == Size2d(1) ? "" : " (dilation " + size2d_str(window.dilation) + ", spanning " +
                                                          size2d_str(span) + ")") +
                " is larger than the padded input " + size2d_str(padded) + " (input " + shape_str(input) +
                ", padding " + size2d_str(window.padding) + ")");
  return {(padded.h - span.h) / window.stride.h + 1, (padded.w - span.w) / window.stride.w + 1};
}

}  // namespace tg
