#include "nn/linear.hpp"

#include <cmath>

#include "autograd/factory.hpp"
#include "nn/init.hpp"
#include "ops/arithmetic.hpp"
#include "ops/matmul.hpp"

namespace tg::nn {

template <class T>
BasicTensor<T> linear(const BasicTensor<T>& x, const BasicTensor<T>& weight, const BasicTensor<T>& bias) {
  const Shape w = weight.shape();
  if (w.size() != 2) throw Error("linear: the weight must be (out, in), got shape " + shape_str(w));
  if (x.dim() == 0 || x.shape().back() != w[1])
    throw Error("linear: input of shape " + shape_str(x.shape()) + " does not fit weight of shape " + shape_str(w) +
                " (its last axis must be " + std::to_string(w[1]) + ")");
  if (bias.defined() && bias.shape() != Shape{w[0]})
    throw Error("linear: bias of shape " + shape_str(bias.shape()) + " does not fit weight of shape " + shape_str(w));
  BasicTensor<T> y = matmul(x, weight, {.transpose_b = true});  // BLAS reads the weight transposed in place
  return bias.defined() ? y + bias : y;
}

template BasicTensor<float> linear(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> linear(const BasicTensor<double>&, const BasicTensor<double>&, const BasicTensor<double>&);

template <class T>
BasicLinear<T>::BasicLinear(std::size_t in_features, std::size_t out_features, bool bias, Generator& gen)
    : in_features_(in_features), out_features_(out_features) {
  weight = zeros<T>({out_features, in_features});
  this->register_parameter("weight", &BasicLinear::weight);
  init::kaiming_uniform_(weight, {.a = std::sqrt(5.0)}, gen);
  if (bias) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    this->bias = zeros<T>({out_features});
    this->register_parameter("bias", &BasicLinear::bias);
    init::uniform_(this->bias, -bound, bound, gen);
  }
}

template <class T>
BasicTensor<T> BasicLinear<T>::forward(const BasicTensor<T>& x) {
  return linear(x, weight, bias);
}

template <class T>
std::string BasicLinear<T>::describe() const {
  return "Linear(" + std::to_string(in_features_) + " -> " + std::to_string(out_features_) +
         (bias.defined() ? ")" : ", no bias)");
}

template class BasicLinear<float>;
template class BasicLinear<double>;

}  // namespace tg::nn
