#include "nn/activation.hpp"

#include <sstream>

#include "ops/activation.hpp"
#include "ops/math.hpp"
#include "ops/softmax.hpp"

namespace tg::nn {

template <class T>
BasicTensor<T> gaussian(const BasicTensor<T>& x) {
  return exp(-square(x));
}

template BasicTensor<float> gaussian(const BasicTensor<float>&);
template BasicTensor<double> gaussian(const BasicTensor<double>&);

Tensor Sigmoid::forward(const Tensor& x) { return sigmoid(x); }
Tensor Tanh::forward(const Tensor& x) { return tanh(x); }
Tensor ReLU::forward(const Tensor& x) { return relu(x); }
Tensor LeakyReLU::forward(const Tensor& x) { return leaky_relu(x, slope_); }
Tensor GELU::forward(const Tensor& x) { return gelu(x); }
Tensor Gaussian::forward(const Tensor& x) { return gaussian(x); }
Tensor Softmax::forward(const Tensor& x) { return softmax(x, axis_); }
Tensor LogSoftmax::forward(const Tensor& x) { return log_softmax(x, axis_); }

std::string LeakyReLU::describe() const {
  std::ostringstream s;
  s << "LeakyReLU(slope=" << slope_ << ")";
  return s.str();
}

std::string Softmax::describe() const { return "Softmax(axis=" + std::to_string(axis_) + ")"; }
std::string LogSoftmax::describe() const { return "LogSoftmax(axis=" + std::to_string(axis_) + ")"; }

}  // namespace tg::nn
