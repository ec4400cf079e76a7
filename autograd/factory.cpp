#include "autograd/factory.hpp"

#include "autograd/element_count.hpp"

namespace tg {

template <class T>
BasicTensor<T> zeros(const Shape& shape, bool requires_grad) {
  checked_allocation(shape, sizeof(T), "zeros");
  return make_tensor<T>(xt::zeros<T>(shape), requires_grad);
}

template <class T>
BasicTensor<T> ones(const Shape& shape, bool requires_grad) {
  checked_allocation(shape, sizeof(T), "ones");
  return make_tensor<T>(xt::ones<T>(shape), requires_grad);
}

template <class T>
BasicTensor<T> full(const Shape& shape, T value, bool requires_grad) {
  checked_allocation(shape, sizeof(T), "full");
  xt::xarray<T> v = xt::xarray<T>::from_shape(shape);
  v.fill(value);
  return make_tensor<T>(std::move(v), requires_grad);
}

template <class T>
BasicTensor<T> randn(const Shape& shape, Generator& gen, bool requires_grad) {
  checked_allocation(shape, sizeof(T), "randn");
  xt::xarray<T> v = xt::xarray<T>::from_shape(shape);
  for (T& x : v) x = static_cast<T>(gen.normal());
  return make_tensor<T>(std::move(v), requires_grad);
}

template <class T>
BasicTensor<T> uniform(const Shape& shape, T lo, T hi, Generator& gen, bool requires_grad) {
  if (!(lo <= hi)) throw Error("uniform: lo " + std::to_string(lo) + " is greater than hi " + std::to_string(hi));
  checked_allocation(shape, sizeof(T), "uniform");
  xt::xarray<T> v = xt::xarray<T>::from_shape(shape);
  for (T& x : v) x = lo + (hi - lo) * static_cast<T>(gen.uniform());
  return make_tensor<T>(std::move(v), requires_grad);
}

#define TG_INSTANTIATE(T)                                                         \
  template BasicTensor<T> zeros(const Shape&, bool);                              \
  template BasicTensor<T> ones(const Shape&, bool);                               \
  template BasicTensor<T> full(const Shape&, T, bool);                            \
  template BasicTensor<T> randn(const Shape&, Generator&, bool);                  \
  template BasicTensor<T> uniform(const Shape&, T, T, Generator&, bool);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
