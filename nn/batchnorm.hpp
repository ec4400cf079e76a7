#pragma once
// Batch normalization: each channel (axis 1) normalized by the batch's statistics in training
// and by running averages of them in evaluation, then scaled and shifted.
//   tg::nn::BatchNorm2d bn(64);  // after a Conv2d(.., 64, ..)
#include <cstddef>

#include "nn/module.hpp"

namespace tg::nn {

// PyTorch's F.batch_norm on x (N,C,...): in training, normalizes with the batch mean and biased
// variance over every axis but 1, and moves the running statistics (when defined) towards the
// batch's: running = (1 - momentum) * running + momentum * batch, the variance unbiased. In
// evaluation, normalizes with the running statistics. Weight and bias (C), when defined, scale
// and shift the result.
template <class T>
BasicTensor<T> batch_norm(const BasicTensor<T>& x, const BasicTensor<T>& running_mean,
                          const BasicTensor<T>& running_var, const BasicTensor<T>& weight, const BasicTensor<T>& bias,
                          bool training, double momentum = 0.1, double eps = 1e-5);

struct BatchNormOptions {
  double eps = 1e-5;
  double momentum = 0.1;
  bool affine = true;  // learn a weight (initially 1) and a bias (initially 0) per channel
};

// The layer; BatchNorm1d and BatchNorm2d differ only in the inputs they accept.
template <class T>
class BasicBatchNorm : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string describe() const override;  // "BatchNorm2d(64)"
  std::size_t num_features() const { return num_features_; }
  const BatchNormOptions& options() const { return options_; }

  BasicTensor<T> weight;        // (C); undefined without affine
  BasicTensor<T> bias;          // (C); undefined without affine
  BasicTensor<T> running_mean;  // (C) buffer, initially 0
  BasicTensor<T> running_var;   // (C) buffer, initially 1

 protected:
  BasicBatchNorm(std::size_t num_features, const BatchNormOptions& options);
  virtual void check_input(const Shape& shape) const = 0;

 private:
  std::size_t num_features_;
  BatchNormOptions options_;
};

// Over (N,C) or (N,C,L): features of a Linear layer or channels of a sequence.
template <class T>
class BasicBatchNorm1d : public BasicBatchNorm<T> {
 public:
  explicit BasicBatchNorm1d(std::size_t num_features, const BatchNormOptions& options = {});
  std::string name() const override { return "BatchNorm1d"; }

 protected:
  void check_input(const Shape& shape) const override;
};

// Over (N,C,H,W): the channels of images.
template <class T>
class BasicBatchNorm2d : public BasicBatchNorm<T> {
 public:
  explicit BasicBatchNorm2d(std::size_t num_features, const BatchNormOptions& options = {});
  std::string name() const override { return "BatchNorm2d"; }

 protected:
  void check_input(const Shape& shape) const override;
};

using BatchNorm = BasicBatchNorm<float>;
using BatchNorm1d = BasicBatchNorm1d<float>;
using BatchNorm2d = BasicBatchNorm2d<float>;

extern template class BasicBatchNorm<float>;
extern template class BasicBatchNorm<double>;
extern template class BasicBatchNorm1d<float>;
extern template class BasicBatchNorm1d<double>;
extern template class BasicBatchNorm2d<float>;
extern template class BasicBatchNorm2d<double>;

}  // namespace tg::nn
