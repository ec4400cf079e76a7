#pragma once
// Reductions and their transposes: sum <-> broadcast_to, plus mean, max, logsumexp, var.
#include "autograd/tensor.hpp"

namespace tg {

// `axes` empty = every axis; keepdims leaves reduced axes with length 1.
template <class T> BasicTensor<T> sum(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
template <class T> BasicTensor<T> mean(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
template <class T> BasicTensor<T> max(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
template <class T> BasicTensor<T> logsumexp(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false);
// The mean squared deviation from the mean; unbiased divides by n - 1 instead of n.
template <class T>
BasicTensor<T> var(const BasicTensor<T>& x, const Axes& axes = {}, bool keepdims = false, bool unbiased = false);

// numpy broadcasting of x to `shape`, and its transpose: summing a broadcast result back.
template <class T> BasicTensor<T> broadcast_to(const BasicTensor<T>& x, const Shape& shape);
template <class T> BasicTensor<T> sum_to(const BasicTensor<T>& x, const Shape& shape);

}  // namespace tg
