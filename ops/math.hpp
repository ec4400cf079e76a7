#pragma once
// Elementwise math: exp log sqrt abs square sin cos pow.
#include "ops/arithmetic.hpp"

namespace tg {

template <class T> BasicTensor<T> exp(const BasicTensor<T>& x);
template <class T> BasicTensor<T> log(const BasicTensor<T>& x);
template <class T> BasicTensor<T> sqrt(const BasicTensor<T>& x);
template <class T> BasicTensor<T> abs(const BasicTensor<T>& x);
template <class T> BasicTensor<T> square(const BasicTensor<T>& x);
template <class T> BasicTensor<T> sin(const BasicTensor<T>& x);
template <class T> BasicTensor<T> cos(const BasicTensor<T>& x);
template <class T> BasicTensor<T> pow(const BasicTensor<T>& x, Scalar<T> exponent);
template <class T> BasicTensor<T> pow(const BasicTensor<T>& x, const BasicTensor<T>& exponent);
// sign(x) as a constant (no gradient flows through it).
template <class T> BasicTensor<T> sign(const BasicTensor<T>& x);

}  // namespace tg
