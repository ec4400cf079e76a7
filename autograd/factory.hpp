#pragma once
// Tensors made from a shape: constants and seeded random values.
#include "autograd/random.hpp"
#include "autograd/tensor.hpp"

namespace tg {

template <class T> BasicTensor<T> zeros(const Shape& shape, bool requires_grad = false);
template <class T> BasicTensor<T> ones(const Shape& shape, bool requires_grad = false);
template <class T> BasicTensor<T> full(const Shape& shape, T value, bool requires_grad = false);
template <class T> BasicTensor<T> randn(const Shape& shape, Generator& gen, bool requires_grad = false);
template <class T> BasicTensor<T> uniform(const Shape& shape, T lo, T hi, Generator& gen, bool requires_grad = false);

}  // namespace tg
