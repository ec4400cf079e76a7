#pragma once
// Activation functions as modules, so that they can stand in a Sequential.
#include "nn/module.hpp"

namespace tg::nn {

// exp(-x^2): PyBrain's GaussianLayer.
template <class T>
BasicTensor<T> gaussian(const BasicTensor<T>& x);

template <class T>
class BasicSigmoid : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Sigmoid"; }
};

template <class T>
class BasicTanh : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Tanh"; }
};

template <class T>
class BasicReLU : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "ReLU"; }
};

template <class T>
class BasicLeakyReLU : public BasicModule<T> {
 public:
  explicit BasicLeakyReLU(T slope = T(0.01)) : slope_(slope) {}
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "LeakyReLU"; }
  std::string describe() const override;  // "LeakyReLU(slope=0.01)"
  T slope() const { return slope_; }

 private:
  T slope_;
};

// The tanh approximation, as tg::gelu.
template <class T>
class BasicGELU : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "GELU"; }
};

template <class T>
class BasicGaussian : public BasicModule<T> {
 public:
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Gaussian"; }
};

template <class T>
class BasicSoftmax : public BasicModule<T> {
 public:
  explicit BasicSoftmax(int axis = -1) : axis_(axis) {}
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Softmax"; }
  std::string describe() const override;  // "Softmax(axis=-1)"
  int axis() const { return axis_; }

 private:
  int axis_;
};

template <class T>
class BasicLogSoftmax : public BasicModule<T> {
 public:
  explicit BasicLogSoftmax(int axis = -1) : axis_(axis) {}
  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "LogSoftmax"; }
  std::string describe() const override;
  int axis() const { return axis_; }

 private:
  int axis_;
};

using Sigmoid = BasicSigmoid<float>;
using Tanh = BasicTanh<float>;
using ReLU = BasicReLU<float>;
using LeakyReLU = BasicLeakyReLU<float>;
using GELU = BasicGELU<float>;
using Gaussian = BasicGaussian<float>;
using Softmax = BasicSoftmax<float>;
using LogSoftmax = BasicLogSoftmax<float>;

#define TG_ACTIVATION_MODULES(T)                                                                    \
  extern template class BasicSigmoid<T>;                                                            \
  extern template class BasicTanh<T>;                                                               \
  extern template class BasicReLU<T>;                                                               \
  extern template class BasicLeakyReLU<T>;                                                          \
  extern template class BasicGELU<T>;                                                               \
  extern template class BasicGaussian<T>;                                                           \
  extern template class BasicSoftmax<T>;                                                            \
  extern template class BasicLogSoftmax<T>;
TG_ACTIVATION_MODULES(float)
TG_ACTIVATION_MODULES(double)
#undef TG_ACTIVATION_MODULES

}  // namespace tg::nn
