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

template <class T>
BasicMaxPool2d<T>::BasicMaxPool2d(Size2d kernel, Size2d stride, Size2d padding)
    : options_(pool_options(kernel, stride, padding)) {}

template <class T>
BasicTensor<T> BasicMaxPool2d<T>::forward(const BasicTensor<T>& x) {
  return max_pool2d(x, options_);
}

template <class T>
std::string BasicMaxPool2d<T>::describe() const {
  return describe_pool(name(), options_);
}

template <class T>
BasicAvgPool2d<T>::BasicAvgPool2d(Size2d kernel, Size2d stride, Size2d padding)
    : options_(pool_options(kernel, stride, padding)) {}

template <class T>
BasicTensor<T> BasicAvgPool2d<T>::forward(const BasicTensor<T>& x) {
  return avg_pool2d(x, options_);
}

template <class T>
std::string BasicAvgPool2d<T>::describe() const {
  return describe_pool(name(), options_);
}

template class BasicMaxPool2d<float>;
template class BasicMaxPool2d<double>;
template class BasicAvgPool2d<float>;
template class BasicAvgPool2d<double>;

}  // namespace tg::nn
