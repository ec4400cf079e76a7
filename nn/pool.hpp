#pragma once
// Pooling layers over NCHW images: MaxPool2d(2) is Keras's MaxPooling2D().
#include "nn/module.hpp"
#include "ops/pool.hpp"

namespace tg::nn {

class MaxPool2d : public Module {
 public:
  // A stride of 0 means the kernel size: windows side by side.
  explicit MaxPool2d(Size2d kernel, Size2d stride = 0, Size2d padding = 0);
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "MaxPool2d"; }
  std::string describe() const override;  // "MaxPool2d(kernel 2x2, stride 2x2)"
  const Pool2dOptions& options() const { return options_; }

 private:
  Pool2dOptions options_;
};

class AvgPool2d : public Module {
 public:
  // Padding counts as zeros in each mean, as PyTorch's default count_include_pad = true.
  explicit AvgPool2d(Size2d kernel, Size2d stride = 0, Size2d padding = 0);
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "AvgPool2d"; }
  std::string describe() const override;  // "AvgPool2d(kernel 2x2, stride 2x2)"
  const Pool2dOptions& options() const { return options_; }

 private:
  Pool2dOptions options_;
};

}  // namespace tg::nn
