#pragma once
// Linear: y = x w^T + b, with PyTorch's layout (weight (out, in)) and default initialisation.
#include <cstddef>

#include "autograd/random.hpp"
#include "nn/default_generator.hpp"
#include "nn/module.hpp"

namespace tg::nn {

// x (..., in) times the transpose of weight (out, in), plus bias (out) unless it is undefined.
template <class T>
BasicTensor<T> linear(const BasicTensor<T>& x, const BasicTensor<T>& weight, const BasicTensor<T>& bias = {});

template <class T>
class BasicLinear : public BasicModule<T> {
 public:
  // Weight and bias are drawn from U(-1/sqrt(in), 1/sqrt(in)), weight first, as PyTorch's
  // kaiming_uniform_(a = sqrt(5)) does.
  BasicLinear(std::size_t in_features, std::size_t out_features, bool bias = true,
              Generator& gen = default_generator());

  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Linear"; }
  std::string describe() const override;  // "Linear(784 -> 100)"

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }

  BasicTensor<T> weight;  // (out, in)
  BasicTensor<T> bias;    // (out); undefined when built without one

 private:
  std::size_t in_features_;
  std::size_t out_features_;
};

using Linear = BasicLinear<float>;

extern template class BasicLinear<float>;
extern template class BasicLinear<double>;

}  // namespace tg::nn
