#pragma once
// Indexed reads and their transpose: gather picks blocks of elements by flat position,
// scatter_add adds blocks back at those positions. Each is the other's gradient rule. Max
// pooling gathers its argmax positions; an embedding gathers rows of its weight.
#include <memory>
#include <vector>

#include "autograd/tensor.hpp"

namespace tg {

// Block positions, shared (not copied) by a gather and the rules of its gradients.
using Index = std::shared_ptr<const std::vector<std::size_t>>;

// Block k of the result (of `shape`) is block index[k] of x; a block is `block` consecutive
// elements of the flat storage.
template <class T>
BasicTensor<T> gather(const BasicTensor<T>& x, const Index& index, const Shape& shape, std::size_t block = 1);

// A zero tensor of `shape` with block k of x added into its block index[k].
template <class T>
BasicTensor<T> scatter_add(const BasicTensor<T>& x, const Index& index, const Shape& shape, std::size_t block = 1);

}  // namespace tg
