#include "ops/reduce.hpp"

#include <xtensor/xbroadcast.hpp>
#include <xtensor/xmath.hpp>

#include "autograd/record.hpp"
#include "ops/arithmetic.hpp"
#include "ops/math.hpp"
#include "ops/reduce_kernel.hpp"
#include "ops/shape.hpp"

namespace tg {
namespace {

// The input shape with reduced axes set to 1: what keepdims gives.
Shape kept_shape(const Shape& in, const std::vector<std::size_t>& axes) {
  Shape kept = in;
  for (std::size_t a : axes) kept[a] = 1;
  return kept;
}

Shape reduced_shape(const Shape& in, const std::vector<std::size_t>& axes, bool keepdims) {
  if (keepdims) return kept_shape(in, axes);
  Shape out;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (std::find(axes.begin(), axes.end(), i) == axes.end()) out.push_back(in[i]);
  return out;
}

template <class T>
xt::xarray<T> reshaped(xt::xarray<T>&& v, const Shape& shape) {
  v.reshape(shape);
  return std::move(v);
}

// A gradient of a reduction, brought back to the input's shape.
template <class T>
BasicTensor<T> expand_back(const BasicTensor<T>& g, const Shape& kept, const Shape& in) {
  return broadcast_to(reshape(g, kept), in);
}

}  // namespace

template <class T>
BasicTensor<T> sum(const BasicTensor<T>& x, const Axes& axes, bool keepdims) {
  const auto ax = normalize_axes(axes, x.dim(), "sum");
  const Shape in = x.shape(), kept = kept_shape(in, ax);
  xt::xarray<T> out = kernel::reduce_keepdims(x.value(), ax, T(0), std::plus<T>());
  return record<T>({.name = "sum", .inputs = {x}}, reshaped(std::move(out), reduced_shape(in, ax, keepdims)),
                   [kept, in](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{expand_back(g, kept, in)}; });
}

template <class T>
BasicTensor<T> mean(const BasicTensor<T>& x, const Axes& axes, bool keepdims) {
  const auto ax = normalize_axes(axes, x.dim(), "mean");
  std::size_t count = 1;
  for (std::size_t a : ax) count *= x.value().shape()[a];
  if (count == 0) throw Error("mean: reducing over an empty axis of shape " + shape_str(x.value().shape()));
  return mul(sum(x, axes, keepdims), T(1) / static_cast<T>(count));
}

template <class T>
BasicTensor<T> max(const BasicTensor<T>& x, const Axes& axes, bool keepdims) {
  const auto ax = normalize_axes(axes, x.dim(), "max");
  if (x.size() == 0) throw Error("max: the tensor is empty, shape " + shape_str(x.value().shape()));
  const Shape in = x.shape(), kept = kept_shape(in, ax);
  xt::xarray<T> out = kernel::reduce_keepdims(x.value(), ax, -std::numeric_limits<T>::infinity(), kernel::max_of<T>);
  return record<T>({.name = "max", .inputs = {x}, .save = {x}, .save_output = true},
                   reshaped(std::move(out), reduced_shape(in, ax, keepdims)),
                   [kept, in, ax](const BasicTensor<T>& g, const Saved<T>& s) {
                     // Ties share the gradient equally, as in PyTorch's amax.
                     xt::xarray<T> out_kept = s.output().value();
                     out_kept.reshape(kept);
                     xt::xarray<T> mask = xt::cast<T>(xt::equal(s[0].value(), out_kept));
                     xt::xarray<T> count = kernel::reduce_keepdims(mask, ax, T(0), std::plus<T>());
                     auto share = make_tensor<T>(mask / count);
                     return Grads<T>{expand_back(g, kept, in) * share};
                   });
}

template <class T>
BasicTensor<T> logsumexp(const BasicTensor<T>& x, const Axes& axes, bool keepdims) {
  const auto ax = normalize_axes(axes, x.dim(), "logsumexp");
  const Shape in = x.shape(), kept = kept_shape(in, ax);
  // Shift by the max so that exp never overflows; an all -inf slice stays -inf.
  xt::xarray<T> m = kernel::reduce_keepdims(x.value(), ax, -std::numeric_limits<T>::infinity(), kernel::max_of<T>);
  m = xt::where(xt::isfinite(m), m, T(0));
  xt::xarray<T> shifted = xt::exp(x.value() - m);
  xt::xarray<T> out = xt::log(kernel::reduce_keepdims(shifted, ax, T(0), std::plus<T>())) + m;
  return record<T>({.name = "logsumexp", .inputs = {x}, .save = {x}, .save_output = true},
                   reshaped(std::move(out), reduced_shape(in, ax, keepdims)),
                   [kept, in](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{expand_back(g, kept, in) * exp(s[0] - reshape(s.output(), kept))};
                   });
}

template <class T>
BasicTensor<T> var(const BasicTensor<T>& x, const Axes& axes, bool keepdims, bool unbiased) {
  const auto ax = normalize_axes(axes, x.dim(), "var");
  std::size_t count = 1;
  for (std::size_t a : ax) count *= x.value().shape()[a];
  if (count == 0) throw Error("var: reducing over an empty axis of shape " + shape_str(x.value().shape()));
  if (unbiased && count == 1)
    throw Error("var: an unbiased variance needs at least 2 elements per reduction; shape " +
                shape_str(x.value().shape()) + " gives 1");
  const T divisor = static_cast<T>(unbiased ? count - 1 : count);
  return mul(sum(square(x - mean(x, axes, true)), axes, keepdims), T(1) / divisor);
}

template <class T>
BasicTensor<T> broadcast_to(const BasicTensor<T>& x, const Shape& shape) {
  const Shape in = x.shape();
  if (in == shape) return x;
  if (broadcast_shapes(in, shape, "broadcast_to") != shape)
    throw Error("broadcast_to: shape " + shape_str(in) + " cannot be broadcast to " + shape_str(shape));
  // The engine sums the gradient back to the input's shape: the rule is the identity.
  return record<T>({.name = "broadcast_to", .inputs = {x}}, xt::broadcast(x.value(), shape),
                   [](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{g}; });
}

template <class T>
BasicTensor<T> sum_to(const BasicTensor<T>& x, const Shape& shape) {
  const Shape in = x.shape();
  if (in == shape) return x;
  if (!broadcasts_to(shape, in)) throw Error("sum_to: shape " + shape_str(in) + " cannot be summed to " + shape_str(shape));
  const std::size_t lead = in.size() - shape.size();
  Axes axes;
  for (std::size_t i = 0; i < in.size(); ++i)
    if (i < lead || (shape[i - lead] == 1 && in[i] != 1)) axes.push_back(static_cast<int>(i));
  return reshape(sum(x, axes, true), shape);
}

#define TG_INSTANTIATE(T)                                                                     \
  template BasicTensor<T> sum(const BasicTensor<T>&, const Axes&, bool);                      \
  template BasicTensor<T> mean(const BasicTensor<T>&, const Axes&, bool);                     \
  template BasicTensor<T> max(const BasicTensor<T>&, const Axes&, bool);                      \
  template BasicTensor<T> logsumexp(const BasicTensor<T>&, const Axes&, bool);                \
  template BasicTensor<T> var(const BasicTensor<T>&, const Axes&, bool, bool);                \
  template BasicTensor<T> broadcast_to(const BasicTensor<T>&, const Shape&);                  \
  template BasicTensor<T> sum_to(const BasicTensor<T>&, const Shape&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
