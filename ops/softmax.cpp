#include "ops/softmax.hpp"

#include <limits>

#include <xtensor/xmath.hpp>

#include "autograd/record.hpp"
#include "ops/arithmetic.hpp"
#include "ops/math.hpp"
#include "ops/reduce.hpp"
#include "ops/reduce_kernel.hpp"

namespace tg {
namespace {

// x minus its maximum along `axis`: the largest entry becomes 0, so exp cannot overflow.
template <class T>
xt::xarray<T> shifted(const xt::xarray<T>& x, std::size_t axis) {
  xt::xarray<T> m = kernel::reduce_keepdims(x, {axis}, -std::numeric_limits<T>::infinity(), kernel::max_of<T>);
  return x - xt::where(xt::isfinite(m), m, T(0));
}

}  // namespace

template <class T>
BasicTensor<T> softmax(const BasicTensor<T>& x, int axis) {
  const std::size_t ax = normalize_axis(axis, x.dim(), "softmax");
  xt::xarray<T> e = xt::exp(shifted(x.value(), ax));
  xt::xarray<T> total = kernel::reduce_keepdims(e, {ax}, T(0), std::plus<T>());
  const int a = static_cast<int>(ax);
  return record<T>({.name = "softmax", .inputs = {x}, .save_output = true}, e / total,
                   [a](const BasicTensor<T>& g, const Saved<T>& s) {
                     const auto& y = s.output();
                     return Grads<T>{y * (g - sum(g * y, {a}, true))};
                   });
}

template <class T>
BasicTensor<T> log_softmax(const BasicTensor<T>& x, int axis) {
  const std::size_t ax = normalize_axis(axis, x.dim(), "log_softmax");
  xt::xarray<T> z = shifted(x.value(), ax);
  xt::xarray<T> e = xt::exp(z);
  xt::xarray<T> log_total = xt::log(kernel::reduce_keepdims(e, {ax}, T(0), std::plus<T>()));
  const int a = static_cast<int>(ax);
  return record<T>({.name = "log_softmax", .inputs = {x}, .save_output = true}, z - log_total,
                   [a](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{g - exp(s.output()) * sum(g, {a}, true)};
                   });
}

template BasicTensor<float> softmax(const BasicTensor<float>&, int);
template BasicTensor<double> softmax(const BasicTensor<double>&, int);
template BasicTensor<float> log_softmax(const BasicTensor<float>&, int);
template BasicTensor<double> log_softmax(const BasicTensor<double>&, int);

}  // namespace tg
