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

class Linear : public Module {
 public:
  // Weight and bias are drawn from U(-1/sqrt(in), 1/sqrt(in)), weight first, as PyTorch's
  // kaiming_uniform_(a = sqrt(5)) does.
  Linear(std::size_t in_features, std::size_t out_features, bool bias = true, Generator& gen = default_generator());

  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Linear"; }
  std::string describe() const override;  // "Linear(784 -> 100)"

  std::size_t in_features() const { return in_features_; }
  std::size_t out_features() const { return out_features_; }

  Tensor weight;  // (out, in)
  Tensor bias;    // (out); undefined when built without one

 private:
  std::size_t in_features_;
  std::size_t out_features_;
};

}  // namespace tg::nn
