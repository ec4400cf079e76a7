#include "nn/layernorm.hpp"

#include <algorithm>
#include <sstream>

#include "autograd/factory.hpp"
#include "ops/math.hpp"
#include "ops/reduce.hpp"

namespace tg::nn {

template <class T>
BasicTensor<T> layer_norm(const BasicTensor<T>& x, const Shape& normalized_shape, const BasicTensor<T>& weight,
                          const BasicTensor<T>& bias, double eps) {
  const Shape in = x.shape();
  const std::size_t k = normalized_shape.size();
  if (k == 0 || k > in.size() || !std::equal(normalized_shape.begin(), normalized_shape.end(), in.end() - k))
    throw Error("layer_norm: input of shape " + shape_str(in) + " does not end with the normalized shape " +
                shape_str(normalized_shape));
  for (const auto& [what, t] : {std::pair{"weight", weight}, std::pair{"bias", bias}})
    if (t.defined() && t.shape() != normalized_shape)
      throw Error(std::string("layer_norm: ") + what + " of shape " + shape_str(t.shape()) +
                  " differs from the normalized shape " + shape_str(normalized_shape));
  Axes axes;
  for (std::size_t d = in.size() - k; d < in.size(); ++d) axes.push_back(static_cast<int>(d));
  const BasicTensor<T> centered = x - mean(x, axes, true);
  BasicTensor<T> y = centered / sqrt(mean(square(centered), axes, true) + T(eps));
  if (weight.defined()) y = y * weight;
  if (bias.defined()) y = y + bias;
  return y;
}

template BasicTensor<float> layer_norm(const BasicTensor<float>&, const Shape&, const BasicTensor<float>&,
                                       const BasicTensor<float>&, double);
template BasicTensor<double> layer_norm(const BasicTensor<double>&, const Shape&, const BasicTensor<double>&,
                                        const BasicTensor<double>&, double);

template <class T>
BasicLayerNorm<T>::BasicLayerNorm(Shape normalized_shape, const LayerNormOptions& options)
    : normalized_shape_(std::move(normalized_shape)), options_(options) {
  if (normalized_shape_.empty()) throw Error("LayerNorm: the normalized shape is empty");
  if (options.elementwise_affine) {
    weight = ones<T>(normalized_shape_);
    bias = zeros<T>(normalized_shape_);
    this->register_parameter("weight", &BasicLayerNorm::weight);
    this->register_parameter("bias", &BasicLayerNorm::bias);
  }
}

template <class T>
BasicTensor<T> BasicLayerNorm<T>::forward(const BasicTensor<T>& x) {
  return layer_norm(x, normalized_shape_, weight, bias, options_.eps);
}

template <class T>
std::string BasicLayerNorm<T>::describe() const {
  std::ostringstream s;
  s << "LayerNorm("
    << (normalized_shape_.size() == 1 ? std::to_string(normalized_shape_[0]) : shape_str(normalized_shape_));
  if (options_.eps != 1e-5) s << ", eps=" << options_.eps;
  if (!options_.elementwise_affine) s << ", no affine";
  s << ")";
  return s.str();
}

template class BasicLayerNorm<float>;
template class BasicLayerNorm<double>;

}  // namespace tg::nn
