#include "ops/shape.hpp"

#include <numeric>

#include <xtensor/xmanipulation.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xstrided_view.hpp>

#include "autograd/element_count.hpp"
#include "autograd/record.hpp"

namespace tg {
namespace {

// Slices checked against `shape` and made explicit for every axis.
std::vector<Slice> normalize_slices(const std::vector<Slice>& slices, const Shape& shape, const char* op) {
  if (slices.size() > shape.size())
    throw Error(std::string(op) + ": " + std::to_string(slices.size()) + " slices for a tensor of shape " +
                shape_str(shape));
  std::vector<Slice> out;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    const Slice s = axis < slices.size() ? slices[axis] : Slice{};
    const auto n = static_cast<std::ptrdiff_t>(shape[axis]);
    auto bound = [&](std::ptrdiff_t i, const char* what) {
      if (i < -n || i > n)
        throw Error(std::string(op) + ": " + what + " " + std::to_string(i) + " is out of range for axis " +
                    std::to_string(axis) + " of shape " + shape_str(shape));
      return i < 0 ? i + n : i;
    };
    if (s.step <= 0) throw Error(std::string(op) + ": step must be positive, got " + std::to_string(s.step));
    const std::ptrdiff_t start = bound(s.start, "start");
    const std::ptrdiff_t stop = s.stop == Slice::End ? n : bound(s.stop, "stop");
    out.push_back({start, std::max(start, stop), s.step});
  }
  return out;
}

// x with its axes reordered: out axis i is x's axis perm[i]. A plain loop: assigning
// xtensor's transposed view is an order of magnitude slower.
template <class T>
xt::xarray<T> permuted(const xt::xarray<T>& x, const std::vector<std::size_t>& perm) {
  const std::size_t d = perm.size();
  std::vector<std::size_t> shape(d), stride(d), in_stride(d, 1);
  for (std::size_t i = d; i-- > 1;) in_stride[i - 1] = in_stride[i] * x.shape()[i];
  for (std::size_t i = 0; i < d; ++i) {
    shape[i] = x.shape()[perm[i]];
    stride[i] = in_stride[perm[i]];
  }
  xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
  if (out.size() == 0 || d == 0) {
    std::copy(x.begin(), x.end(), out.begin());
    return out;
  }
  const std::size_t inner = shape[d - 1], step = stride[d - 1];
  std::vector<std::size_t> index(d, 0);
  const T* src = x.data();
  T* dst = out.data();
  for (std::size_t done = 0; done < out.size(); done += inner) {
    std::size_t offset = 0;
    for (std::size_t i = 0; i + 1 < d; ++i) offset += index[i] * stride[i];
    for (std::size_t j = 0; j < inner; ++j) *dst++ = src[offset + j * step];
    for (std::size_t i = d - 1; i-- > 0;) {  // advance the outer index like an odometer
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

xt::xstrided_slice_vector strided(const std::vector<Slice>& slices) {
  xt::xstrided_slice_vector sv;
  for (const Slice& s : slices) sv.push_back(xt::range(s.start, s.stop, s.step));
  return sv;
}

}  // namespace

template <class T>
BasicTensor<T> reshape(const BasicTensor<T>& x, const Shape& shape) {
  const Shape in = x.shape();
  if (in == shape) return x;
  if (element_count(shape, "reshape") != x.size())
    throw Error("reshape: cannot reshape " + shape_str(in) + " (" + std::to_string(x.size()) + " elements) to " +
                shape_str(shape));
  xt::xarray<T> out = x.value();
  out.reshape(shape);
  return record<T>({.name = "reshape", .inputs = {x}}, std::move(out),
                   [in](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{reshape(g, in)}; });
}

template <class T>
BasicTensor<T> permute(const BasicTensor<T>& x, const Axes& axes) {
  if (axes.size() != x.dim())
    throw Error("permute: " + std::to_string(axes.size()) + " axes for a tensor of shape " + shape_str(x.shape()));
  std::vector<std::size_t> perm;
  for (int a : axes) perm.push_back(normalize_axis(a, x.dim(), "permute"));
  Axes inverse(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) {
    if (std::count(perm.begin(), perm.end(), perm[i]) != 1) throw Error("permute: axes are not a permutation");
    inverse[perm[i]] = static_cast<int>(i);
  }
  return record<T>({.name = "permute", .inputs = {x}}, permuted(x.value(), perm),
                   [inverse](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{permute(g, inverse)}; });
}

template <class T>
BasicTensor<T> transpose(const BasicTensor<T>& x) {
  const auto d = static_cast<int>(x.dim());
  if (d < 2) throw Error("transpose: needs at least 2 dimensions, got shape " + shape_str(x.shape()));
  Axes axes(d);
  std::iota(axes.begin(), axes.end(), 0);
  std::swap(axes[d - 1], axes[d - 2]);
  return permute(x, axes);
}

template <class T>
BasicTensor<T> slice(const BasicTensor<T>& x, const std::vector<Slice>& slices) {
  const Shape in = x.shape();
  auto norm = normalize_slices(slices, in, "slice");
  return record<T>({.name = "slice", .inputs = {x}}, xt::strided_view(x.value(), strided(norm)),
                   [in, norm](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{pad_slice(g, in, norm)}; });
}

template <class T>
BasicTensor<T> pad_slice(const BasicTensor<T>& x, const Shape& shape, const std::vector<Slice>& slices) {
  checked_allocation(shape, sizeof(T), "pad_slice");
  auto norm = normalize_slices(slices, shape, "pad_slice");
  xt::xarray<T> out = xt::zeros<T>(shape);
  auto target = xt::strided_view(out, strided(norm));
  if (!std::equal(target.shape().begin(), target.shape().end(), x.value().shape().begin(), x.value().shape().end()))
    throw Error("pad_slice: the slice of " + shape_str(shape) + " has shape " + shape_str(target.shape()) +
                " but the tensor has shape " + shape_str(x.value().shape()));
  xt::noalias(target) = x.value();
  return record<T>({.name = "pad_slice", .inputs = {x}}, std::move(out),
                   [norm](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{slice(g, norm)}; });
}

template <class T>
BasicTensor<T> concat(const std::vector<BasicTensor<T>>& xs, int axis) {
  if (xs.empty()) throw Error("concat: no tensors to concatenate");
  const Shape first = xs[0].shape();
  const std::size_t ax = normalize_axis(axis, first.size(), "concat");
  Shape out_shape = first;
  out_shape[ax] = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    Shape s = xs[i].shape();
    bool ok = s.size() == first.size();
    for (std::size_t d = 0; ok && d < s.size(); ++d) ok = d == ax || s[d] == first[d];
    if (!ok)
      throw Error("concat: tensor " + std::to_string(i) + " has shape " + shape_str(s) + ", tensor 0 has " +
                  shape_str(first) + "; they must agree except on axis " + std::to_string(ax));
    out_shape[ax] += s[ax];
  }
  xt::xarray<T> out = xt::empty<T>(out_shape);
  std::vector<std::ptrdiff_t> offsets;
  std::ptrdiff_t offset = 0;
  for (const auto& x : xs) {
    offsets.push_back(offset);
    std::vector<Slice> part(ax + 1);
    part[ax] = {offset, offset + static_cast<std::ptrdiff_t>(x.value().shape()[ax]), 1};
    auto target = xt::strided_view(out, strided(normalize_slices(part, out_shape, "concat")));
    xt::noalias(target) = x.value();
    offset = part[ax].stop;
  }
  offsets.push_back(offset);
  return record<T>({.name = "concat", .inputs = xs}, std::move(out),
                   [offsets, ax](const BasicTensor<T>& g, const Saved<T>& s) {
                     Grads<T> grads;
                     for (std::size_t i = 0; i + 1 < offsets.size(); ++i) {
                       std::vector<Slice> part(ax + 1);
                       part[ax] = {offsets[i], offsets[i + 1], 1};
                       grads.push_back(s.needs(i) ? slice(g, part) : BasicTensor<T>());
                     }
                     return grads;
                   });
}

template <class T>
BasicTensor<T> stack(const std::vector<BasicTensor<T>>& xs, int axis) {
  if (xs.empty()) throw Error("stack: no tensors to stack");
  const Shape first = xs[0].shape();
  const std::size_t ax = normalize_axis(axis, first.size() + 1, "stack");
  std::vector<BasicTensor<T>> expanded;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    Shape s = xs[i].shape();
    if (s != first)
      throw Error("stack: tensor " + std::to_string(i) + " has shape " + shape_str(s) + ", tensor 0 has " +
                  shape_str(first));
    s.insert(s.begin() + static_cast<std::ptrdiff_t>(ax), 1);
    expanded.push_back(reshape(xs[i], s));
  }
  return concat(expanded, static_cast<int>(ax));
}

#define TG_INSTANTIATE(T)                                                                                  \
  template BasicTensor<T> reshape(const BasicTensor<T>&, const Shape&);                                    \
  template BasicTensor<T> transpose(const BasicTensor<T>&);                                                \
  template BasicTensor<T> permute(const BasicTensor<T>&, const Axes&);                                     \
  template BasicTensor<T> slice(const BasicTensor<T>&, const std::vector<Slice>&);                         \
  template BasicTensor<T> pad_slice(const BasicTensor<T>&, const Shape&, const std::vector<Slice>&);       \
  template BasicTensor<T> concat(const std::vector<BasicTensor<T>>&, int);                                 \
  template BasicTensor<T> stack(const std::vector<BasicTensor<T>>&, int);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
