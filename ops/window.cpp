#include "ops/window.hpp"

namespace tg {

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
