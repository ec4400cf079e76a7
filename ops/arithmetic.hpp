#pragma once
// add sub mul div neg, tensor-tensor (numpy broadcasting) and tensor-scalar, with operators.
#include <type_traits>

#include "autograd/tensor.hpp"

namespace tg {

template <class T>
using Scalar = std::type_identity_t<T>;  // keeps `x * 2` from fighting over T

// Throws naming `op` and both shapes unless a and b broadcast together (elementwise binary ops).
template <class T>
void check_broadcast(const char* op, const BasicTensor<T>& a, const BasicTensor<T>& b) {
  if (a.value().shape() != b.value().shape()) broadcast_shapes(a.shape(), b.shape(), op);
}

template <class T> BasicTensor<T> add(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> sub(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> mul(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> div(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> neg(const BasicTensor<T>& a);

template <class T> BasicTensor<T> add(const BasicTensor<T>& a, Scalar<T> s);
template <class T> BasicTensor<T> mul(const BasicTensor<T>& a, Scalar<T> s);
template <class T> BasicTensor<T> rsub(Scalar<T> s, const BasicTensor<T>& a);  // s - a
template <class T> BasicTensor<T> rdiv(Scalar<T> s, const BasicTensor<T>& a);  // s / a

template <class T> BasicTensor<T> add(Scalar<T> s, const BasicTensor<T>& a) { return add(a, s); }
template <class T> BasicTensor<T> sub(const BasicTensor<T>& a, Scalar<T> s) { return add(a, -s); }
template <class T> BasicTensor<T> sub(Scalar<T> s, const BasicTensor<T>& a) { return rsub(s, a); }
template <class T> BasicTensor<T> mul(Scalar<T> s, const BasicTensor<T>& a) { return mul(a, s); }
template <class T> BasicTensor<T> div(const BasicTensor<T>& a, Scalar<T> s) { return mul(a, Scalar<T>(1) / s); }
template <class T> BasicTensor<T> div(Scalar<T> s, const BasicTensor<T>& a) { return rdiv(s, a); }

template <class T> BasicTensor<T> operator+(const BasicTensor<T>& a, const BasicTensor<T>& b) { return add(a, b); }
template <class T> BasicTensor<T> operator-(const BasicTensor<T>& a, const BasicTensor<T>& b) { return sub(a, b); }
template <class T> BasicTensor<T> operator*(const BasicTensor<T>& a, const BasicTensor<T>& b) { return mul(a, b); }
template <class T> BasicTensor<T> operator/(const BasicTensor<T>& a, const BasicTensor<T>& b) { return div(a, b); }
template <class T> BasicTensor<T> operator-(const BasicTensor<T>& a) { return neg(a); }
template <class T> BasicTensor<T> operator+(const BasicTensor<T>& a, Scalar<T> s) { return add(a, s); }
template <class T> BasicTensor<T> operator+(Scalar<T> s, const BasicTensor<T>& a) { return add(a, s); }
template <class T> BasicTensor<T> operator-(const BasicTensor<T>& a, Scalar<T> s) { return sub(a, s); }
template <class T> BasicTensor<T> operator-(Scalar<T> s, const BasicTensor<T>& a) { return rsub(s, a); }
template <class T> BasicTensor<T> operator*(const BasicTensor<T>& a, Scalar<T> s) { return mul(a, s); }
template <class T> BasicTensor<T> operator*(Scalar<T> s, const BasicTensor<T>& a) { return mul(a, s); }
template <class T> BasicTensor<T> operator/(const BasicTensor<T>& a, Scalar<T> s) { return div(a, s); }
template <class T> BasicTensor<T> operator/(Scalar<T> s, const BasicTensor<T>& a) { return rdiv(s, a); }

}  // namespace tg
