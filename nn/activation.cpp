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

template <class T>
BasicTensor<T> BasicSigmoid<T>::forward(const BasicTensor<T>& x) {
  return sigmoid(x);
}
template <class T>
BasicTensor<T> BasicTanh<T>::forward(const BasicTensor<T>& x) {
  return tanh(x);
}
template <class T>
BasicTensor<T> BasicReLU<T>::forward(const BasicTensor<T>& x) {
  return relu(x);
}
template <class T>
BasicTensor<T> BasicLeakyReLU<T>::forward(const BasicTensor<T>& x) {
  return leaky_relu(x, slope_);
}
template <class T>
BasicTensor<T> BasicGELU<T>::forward(const BasicTensor<T>& x) {
  return gelu(x);
}
template <class T>
BasicTensor<T> BasicGaussian<T>::forward(const BasicTensor<T>& x) {
  return gaussian(x);
}
template <class T>
BasicTensor<T> BasicSoftmax<T>::forward(const BasicTensor<T>& x) {
  return softmax(x, axis_);
}
template <class T>
BasicTensor<T> BasicLogSoftmax<T>::forward(const BasicTensor<T>& x) {
  return log_softmax(x, axis_);
}

template <class T>
std::string BasicLeakyReLU<T>::describe() const {
  std::ostringstream s;
  s << "LeakyReLU(slope=" << slope_ << ")";
  return s.str();
}

template <class T>
std::string BasicSoftmax<T>::describe() const {
  return "Softmax(axis=" + std::to_string(axis_) + ")";
}
template <class T>
std::string BasicLogSoftmax<T>::describe() const {
  return "LogSoftmax(axis=" + std::to_string(axis_) + ")";
}

#define TG_ACTIVATION_MODULES(T)     \
  template class BasicSigmoid<T>;    \
  template class BasicTanh<T>;       \
  template class BasicReLU<T>;       \
  template class BasicLeakyReLU<T>;  \
  template class BasicGELU<T>;       \
  template class BasicGaussian<T>;   \
  template class BasicSoftmax<T>;    \
  template class BasicLogSoftmax<T>;
TG_ACTIVATION_MODULES(float)
TG_ACTIVATION_MODULES(double)

}  // namespace tg::nn
