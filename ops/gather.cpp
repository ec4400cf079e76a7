#include "ops/gather.hpp"

#include <algorithm>

#include "autograd/element_count.hpp"
#include "autograd/record.hpp"

namespace tg {
namespace {

// Checks that `index` addresses blocks of `block` elements in `source` and fills `target`.
void check_index(const char* op, const Index& index, std::size_t block, const Shape& source, const Shape& target) {
  const std::string name(op);
  if (!index) throw Error(name + ": the index is null");
  if (block == 0) throw Error(name + ": the block size must be positive");
  if (index->size() * block != element_count(target, op))
    throw Error(name + ": " + std::to_string(index->size()) + " blocks of " + std::to_string(block) +
                " elements do not fill shape " + shape_str(target));
  const std::size_t blocks = element_count(source, op) / block;
  if (blocks * block != element_count(source, op))
    throw Error(name + ": shape " + shape_str(source) + " does not divide into blocks of " + std::to_string(block));
  const auto bad = std::find_if(index->begin(), index->end(), [blocks](std::size_t i) { return i >= blocks; });
  if (bad != index->end())
    throw Error(name + ": index " + std::to_string(*bad) + " at position " + std::to_string(bad - index->begin()) +
                " is out of range for " + std::to_string(blocks) + " blocks of shape " + shape_str(source));
}

}  // namespace

template <class T>
BasicTensor<T> gather(const BasicTensor<T>& x, const Index& index, const Shape& shape, std::size_t block) {
  const Shape in = x.shape();
  check_index("gather", index, block, in, shape);
  xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
  const T* src = x.value().data();
  T* dst = out.data();
  for (std::size_t k = 0; k < index->size(); ++k, dst += block) std::copy_n(src + (*index)[k] * block, block, dst);
  return record<T>({.name = "gather", .inputs = {x}}, std::move(out),
                   [index, in, block](const BasicTensor<T>& g, const Saved<T>&) {
                     return Grads<T>{scatter_add(g, index, in, block)};
                   });
}

template <class T>
BasicTensor<T> scatter_add(const BasicTensor<T>& x, const Index& index, const Shape& shape, std::size_t block) {
  const Shape in = x.shape();
  check_index("scatter_add", index, block, shape, in);
  xt::xarray<T> out = xt::zeros<T>(shape);
  const T* src = x.value().data();
  T* dst = out.data();
  for (std::size_t k = 0; k < index->size(); ++k, src += block) {
    T* target = dst + (*index)[k] * block;
    for (std::size_t i = 0; i < block; ++i) target[i] += src[i];
  }
  return record<T>({.name = "scatter_add", .inputs = {x}}, std::move(out),
                   [index, in, block](const BasicTensor<T>& g, const Saved<T>&) {
                     return Grads<T>{gather(g, index, in, block)};
                   });
}

#define TG_INSTANTIATE(T)                                                                                 \
  template BasicTensor<T> gather(const BasicTensor<T>&, const Index&, const Shape&, std::size_t);         \
  template BasicTensor<T> scatter_add(const BasicTensor<T>&, const Index&, const Shape&, std::size_t);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
