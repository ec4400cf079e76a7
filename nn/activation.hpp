#pragma once
// Activation functions as modules, so that they can stand in a Sequential.
#include "nn/module.hpp"

namespace tg::nn {

// exp(-x^2): PyBrain's GaussianLayer.
template <class T>
BasicTensor<T> gaussian(const BasicTensor<T>& x);

class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Sigmoid"; }
};

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Tanh"; }
};

class ReLU : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "ReLU"; }
};

class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(float slope = 0.01f) : slope_(slope) {}
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "LeakyReLU"; }
  std::string describe() const override;  // "LeakyReLU(slope=0.01)"

 private:
  float slope_;
};

// The tanh approximation, as tg::gelu.
class GELU : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "GELU"; }
};

class Gaussian : public Module {
 public:
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Gaussian"; }
};

class Softmax : public Module {
 public:
  explicit Softmax(int axis = -1) : axis_(axis) {}
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "Softmax"; }
  std::string describe() const override;  // "Softmax(axis=-1)"

 private:
  int axis_;
};

class LogSoftmax : public Module {
 public:
  explicit LogSoftmax(int axis = -1) : axis_(axis) {}
  Tensor forward(const Tensor& x) override;
  std::string name() const override { return "LogSoftmax"; }
  std::string describe() const override;

 private:
  int axis_;
};

}  // namespace tg::nn
