#pragma once
// 2-D convolution (cross-correlation, as in every deep-learning library) of NCHW tensors.
#include "autograd/tensor.hpp"
#include "ops/window.hpp"

namespace tg {

struct Conv2dOptions {
  Size2d stride = 1;
  Size2d padding = 0;  // zeros added on both sides of each spatial axis
  Size2d dilation = 1;
};

// x (N,C,H,W) with weight (O,C,KH,KW) and bias (O), or no bias when undefined: (N,O,OH,OW).
//   tg::conv2d(x, w, b, {.stride = 2, .padding = 1})
template <class T>
BasicTensor<T> conv2d(const BasicTensor<T>& x, const BasicTensor<T>& weight, const BasicTensor<T>& bias = {},
                      const Conv2dOptions& options = {});

}  // namespace tg
