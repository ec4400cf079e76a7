#pragma once
// Max and average pooling over the last two axes of NCHW tensors.
#include "autograd/tensor.hpp"
#include "ops/window.hpp"

namespace tg {

struct Pool2dOptions {
  Size2d kernel;
  Size2d stride = 0;  // 0: the kernel size, windows side by side
  Size2d padding = 0;  // at most half the kernel
};

// The largest element of each window; padding never wins. The gradient goes to the first
// largest element of each window, as in PyTorch.
//   tg::max_pool2d(x, {.kernel = 2})
template <class T> BasicTensor<T> max_pool2d(const BasicTensor<T>& x, const Pool2dOptions& options);

// The mean of each window, padding counted as zeros (PyTorch's count_include_pad = true).
template <class T> BasicTensor<T> avg_pool2d(const BasicTensor<T>& x, const Pool2dOptions& options);

}  // namespace tg
