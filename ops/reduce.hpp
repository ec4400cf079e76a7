#pragma once
// Reductions and their transposes: sum <-> broadcast_to, plus mean, max, logsumexp.
#include "autograd/tensor.hpp"

namespace tg {

// `axes` empty = every axis; keepdims leaves reduced axes with length 1.
template <class T> BasicTensor<T> sum(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
template <class T> BasicTensor<T> mean(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
template <class T> BasicTensor<T> max(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
template <class T> BasicTensor<T> logsumexp(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);

// numpy broadcasting of x to `shape`, and its transpose: summing a broadcast result back.
template <class T> BasicTensor<T> broadcast_to(const BasicTensor<T>& x, const Shape& shape);
template <class T> BasicTensor<T> sum_to(const BasicTensor<T>& x, const Shape& shape);

}  // namespace tg
