#pragma once
// Pooling layers over NCHW images: MaxPool2d(2) is Keras's MaxPooling2D().
#include "nn/module.hpp"
#include "ops/pool.hpp"

namespace tg::nn {

template <class T>
class BasicMaxPool2d : public BasicModule<T> {
 public:
  // A stride of 0 means the kernel size: windows side by side.
  explicit BasicMaxPool2d(Size2d kernel, Size2d stride = 0, Size2d padding = 0);
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "MaxPool2d"; }
  std::string describe() const override;  // "MaxPool2d(kernel 2x2, stride 2x2)"
  const Pool2dOptions& options() const { return options_; }

 private:
  Pool2dOptions options_;
};

template <class T>
class BasicAvgPool2d : public BasicModule<T> {
 public:
  // Padding counts as zeros in each mean, as PyTorch's default count_include_pad = true.
  explicit BasicAvgPool2d(Size2d kernel, Size2d stride = 0, Size2d padding = 0);
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "AvgPool2d"; }
  std::string describe() const override;  // "AvgPool2d(kernel 2x2, stride 2x2)"
  const Pool2dOptions& options() const { return options_; }

 private:
  Pool2dOptions options_;
};

using MaxPool2d = BasicMaxPool2d<float>;
using AvgPool2d = BasicAvgPool2d<float>;

extern template class BasicMaxPool2d<float>;
extern template class BasicMaxPool2d<double>;
extern template class BasicAvgPool2d<float>;
extern template class BasicAvgPool2d<double>;

}  // namespace tg::nn
