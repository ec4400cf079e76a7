#pragma once
// Activation functions.
#include "ops/arithmetic.hpp"

namespace tg {

template <class T> BasicTensor<T> sigmoid(const BasicTensor<T>& x);
template <class T> BasicTensor<T> tanh(const BasicTensor<T>& x);
template <class T> BasicTensor<T> relu(const BasicTensor<T>& x);
template <class T> BasicTensor<T> leaky_relu(const BasicTensor<T>& x, Scalar<T> slope = Scalar<T>(0.01));
template <class T> BasicTensor<T> elu(const BasicTensor<T>& x, Scalar<T> alpha = Scalar<T>(1));
template <class T> BasicTensor<T> gelu(const BasicTensor<T>& x);  // the tanh approximation
template <class T> BasicTensor<T> softplus(const BasicTensor<T>& x);

}  // namespace tg
