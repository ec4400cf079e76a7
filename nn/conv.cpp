#include "nn/conv.hpp"

#include <cmath>

#include "autograd/factory.hpp"
#include "nn/init.hpp"

namespace tg::nn {

template <class T>
BasicConv2d<T>::BasicConv2d(std::size_t in_channels, std::size_t out_channels, Size2d kernel,
                            const Conv2dOptions& options, Generator& gen)
    : in_channels_(in_channels), out_channels_(out_channels), kernel_(kernel), options_(options) {
  weight = zeros<T>({out_channels, in_channels, kernel.h, kernel.w});
  this->register_parameter("weight", &BasicConv2d::weight);
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)}, gen);
  if (options.bias) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(init::calculate_fans(weight.shape()).in));
    bias = zeros<T>({out_channels});
    this->register_parameter("bias", &BasicConv2d::bias);
    init::uniform_(bias, -bound, bound, gen);
  }
}

template <class T>
BasicTensor<T> BasicConv2d<T>::forward(const BasicTensor<T>& x) {
  return conv2d(x, weight, bias,
                {.stride = options_.stride, .padding = options_.padding, .dilation = options_.dilation});
}

template <class T>
std::string BasicConv2d<T>::describe() const {
  std::string s = "Conv2d(" + std::to_string(in_channels_) + " -> " + std::to_string(out_channels_) + ", kernel " +
                  size2d_str(kernel_);
  if (options_.stride != Size2d(1)) s += ", stride " + size2d_str(options_.stride);
  if (options_.padding != Size2d(0)) s += ", padding " + size2d_str(options_.padding);
  if (options_.dilation != Size2d(1)) s += ", dilation " + size2d_str(options_.dilation);
  return s + (bias.defined() ? ")" : ", no bias)");
}

template class BasicConv2d<float>;
template class BasicConv2d<double>;

}  // namespace tg::nn
