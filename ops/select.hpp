#pragma once
// Elementwise choices (maximum minimum clamp where) and comparisons. Comparisons and the
// condition of where are constants: no gradient flows through them.
#include "ops/arithmetic.hpp"

namespace tg {

template <class T> BasicTensor<T> maximum(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> minimum(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> clamp(const BasicTensor<T>& x, Scalar<T> lo, Scalar<T> hi);
// a where condition is nonzero, else b; all three broadcast together.
template <class T> BasicTensor<T> where(const BasicTensor<T>& condition, const BasicTensor<T>& a, const BasicTensor<T>& b);

// 1 where the comparison holds, else 0.
template <class T> BasicTensor<T> gt(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> ge(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> lt(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> le(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> eq(const BasicTensor<T>& a, const BasicTensor<T>& b);
template <class T> BasicTensor<T> ne(const BasicTensor<T>& a, const BasicTensor<T>& b);

}  // namespace tg
