#pragma once
// softmax and log_softmax along one axis, stable for inputs like 1000 and -1000.
#include "autograd/tensor.hpp"

namespace tg {

template <class T> BasicTensor<T> softmax(const BasicTensor<T>& x, int axis = -1);
template <class T> BasicTensor<T> log_softmax(const BasicTensor<T>& x, int axis = -1);

}  // namespace tg
