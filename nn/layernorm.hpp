#pragma once
// Layer normalization: each sample normalized over its last axes, then scaled and shifted
// elementwise.
//   tg::nn::LayerNorm norm(512);  // over the last axis of (..., 512)
#include <cstddef>

#include "nn/module.hpp"

namespace tg::nn {

// x (..., normalized_shape) normalized by the mean and biased variance over its trailing
// normalized_shape axes, times weight and plus bias (both normalized_shape) when defined.
template <class T>
BasicTensor<T> layer_norm(const BasicTensor<T>& x, const Shape& normalized_shape, const BasicTensor<T>& weight = {},
                          const BasicTensor<T>& bias = {}, double eps = 1e-5);

struct LayerNormOptions {
  double eps = 1e-5;
  bool elementwise_affine = true;  // learn a weight (initially 1) and a bias (initially 0)
};

template <class T>
class BasicLayerNorm : public BasicModule<T> {
 public:
  explicit BasicLayerNorm(Shape normalized_shape, const LayerNormOptions& options = {});
  explicit BasicLayerNorm(std::size_t features, const LayerNormOptions& options = {})
      : BasicLayerNorm(Shape{features}, options) {}

  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "LayerNorm"; }
  std::string describe() const override;  // "LayerNorm(512)", "LayerNorm((4,512))"
  const Shape& normalized_shape() const { return normalized_shape_; }
  const LayerNormOptions& options() const { return options_; }

  BasicTensor<T> weight;  // normalized_shape; undefined without elementwise_affine
  BasicTensor<T> bias;

 private:
  Shape normalized_shape_;
  LayerNormOptions options_;
};

using LayerNorm = BasicLayerNorm<float>;

extern template class BasicLayerNorm<float>;
extern template class BasicLayerNorm<double>;

}  // namespace tg::nn
