#include "nn/pool.hpp"

namespace tg::nn {
namespace {

Pool2dOptions pool_options(Size2d kernel, Size2d stride, Size2d padding) {
  return {.kernel = kernel, .stride = stride == Size2d(0) ? kernel : stride, .padding = padding};
}

std::string describe_pool(const std::string& name, const Pool2dOptions& o) {
  return name + "(kernel " + size2d_str(o.kernel) + ", stride " + size2d_str(o.stride) +
         (o.padding == Size2d(0) ? "" : ", padding " + size2d_str(o.padding)) + ")";
}

}  // namespace

MaxPool2d::MaxPool2d(Size2d kernel, Size2d stride, Size2d padding)
    : options_(pool_options(kernel, stride, padding)) {}

Tensor MaxPool2d::forward(const Tensor& x) { return max_pool2d(x, options_); }

std::string MaxPool2d::describe() const { return describe_pool(name(), options_); }

AvgPool2d::AvgPool2d(Size2d kernel, Size2d stride, Size2d padding)
    : options_(pool_options(kernel, stride, padding)) {}

Tensor AvgPool2d::forward(const Tensor& x) { return avg_pool2d(x, options_); }

std::string AvgPool2d::describe() const { return describe_pool(name(), options_); }

}  // namespace tg::nn
