#pragma once
// Conv2d: a 2-D convolution layer over NCHW images, with PyTorch's layout and initialisation.
//   tg::nn::Conv2d conv(1, 64, 3);                     // Keras Conv2D(64, 3) on one channel
//   tg::nn::Conv2d down(64, 128, 3, {.stride = 2, .padding = 1, .bias = false});
#include <cstddef>

#include "autograd/random.hpp"
#include "nn/default_generator.hpp"
#include "nn/module.hpp"
#include "ops/conv.hpp"

namespace tg::nn {

struct Conv2dOptions {
  Size2d stride = 1;
  Size2d padding = 0;
  Size2d dilation = 1;
  bool bias = true;
};

template <class T>
class BasicConv2d : public BasicModule<T> {
 public:
  // Weight and bias are drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in * KH * KW,
  // weight first, as PyTorch's kaiming_uniform_(a = sqrt(5)) does.
  BasicConv2d(std::size_t in_channels, std::size_t out_channels, Size2d kernel, const Conv2dOptions& options = {},
              Generator& gen = default_generator());

  BasicTensor<T> forward(const BasicTensor<T>& x) override;  // (N, in, H, W) -> (N, out, OH, OW)
  std::string name() const override { return "Conv2d"; }
  std::string describe() const override;  // "Conv2d(1 -> 64, kernel 3x3)"

  std::size_t in_channels() const { return in_channels_; }
  std::size_t out_channels() const { return out_channels_; }
  Size2d kernel() const { return kernel_; }
  const Conv2dOptions& options() const { return options_; }

  BasicTensor<T> weight;  // (out, in, KH, KW)
  BasicTensor<T> bias;    // (out); undefined when built without one

 private:
  std::size_t in_channels_;
  std::size_t out_channels_;
  Size2d kernel_;
  Conv2dOptions options_;
};

using Conv2d = BasicConv2d<float>;

extern template class BasicConv2d<float>;
extern template class BasicConv2d<double>;

}  // namespace tg::nn
