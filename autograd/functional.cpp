#include "autograd/functional.hpp"

#include <algorithm>
#include <string>

#include "autograd/engine.hpp"
#include "autograd/grad_mode.hpp"

namespace tg {
namespace {

// A fresh leaf with x's values that requires grad: f is differentiated there, x is untouched.
template <class T>
BasicTensor<T> leaf_like(const BasicTensor<T>& x, const char* caller) {
  if (!x.defined()) throw Error(std::string(caller) + ": x is an undefined tensor");
  return BasicTensor<T>::from(x.value(), true);
}

template <class T>
BasicTensor<T> scalar_output(const TensorFunction<T>& f, const BasicTensor<T>& x, const char* caller) {
  BasicTensor<T> y = f(x);
  if (!y.defined()) throw Error(std::string(caller) + ": f returned an undefined tensor");
  if (y.size() != 1)
    throw Error(std::string(caller) + ": f must return a one-element tensor; it returned shape " +
                shape_str(y.value().shape()));
  return y;
}

// The gradient of <y, seed> at x (seed undefined: y has one element), zeros where y does not
// depend on x. `record` keeps its history (for a second derivative); `retain` the graph of y.
template <class T>
BasicTensor<T> gradient(const BasicTensor<T>& y, const BasicTensor<T>& x, const BasicTensor<T>& seed, bool record,
                        bool retain = false) {
  if (y.requires_grad()) {
    const std::vector<BasicTensor<T>> seeds = seed.defined() ? std::vector{seed} : std::vector<BasicTensor<T>>{};
    BasicTensor<T> g =
        grad<T>({y}, {x}, seeds, {.retain_graph = retain || record, .create_graph = record, .allow_unused = true})[0];
    if (g.defined()) return g;
  }
  return make_tensor<T>(xt::zeros<T>(x.value().shape()));
}

}  // namespace

template <class T>
BasicTensor<T> jacobian(const TensorFunction<T>& f, const BasicTensor<T>& x) {
  GradModeGuard recording(true);
  const BasicTensor<T> leaf = leaf_like(x, "jacobian");
  const BasicTensor<T> y = f(leaf);
  if (!y.defined()) throw Error("jacobian: f returned an undefined tensor");
  Shape shape = y.shape();
  const Shape in = leaf.shape();
  shape.insert(shape.end(), in.begin(), in.end());
  xt::xarray<T> out = xt::xarray<T>::from_shape(shape);
  // Row r of the Jacobian is the gradient of output element r: one backward per element.
  for (std::size_t r = 0; r < y.size(); ++r) {
    xt::xarray<T> seed = xt::zeros<T>(y.value().shape());
    seed.data()[r] = T(1);
    const BasicTensor<T> row = gradient(y, leaf, make_tensor<T>(std::move(seed)), false, true);
    std::copy(row.value().begin(), row.value().end(), out.data() + r * leaf.size());
  }
  return make_tensor<T>(std::move(out));
}

template <class T>
BasicTensor<T> hessian(const TensorFunction<T>& f, const BasicTensor<T>& x) {
  return jacobian<T>(
      [&f](const BasicTensor<T>& at) { return gradient(scalar_output(f, at, "hessian"), at, BasicTensor<T>(), true); },
      x);
}

template <class T>
BasicTensor<T> hvp(const TensorFunction<T>& f, const BasicTensor<T>& x, const BasicTensor<T>& v) {
  GradModeGuard recording(true);
  const BasicTensor<T> leaf = leaf_like(x, "hvp");
  if (!v.defined() || v.value().shape() != leaf.value().shape())
    throw Error("hvp: v has shape " + (v.defined() ? shape_str(v.value().shape()) : std::string("undefined")) +
                " but x has shape " + shape_str(leaf.value().shape()));
  const BasicTensor<T> g = gradient(scalar_output(f, leaf, "hvp"), leaf, BasicTensor<T>(), true);
  // H is symmetric, so v^T H, the gradient of <g, v>, is H v.
  return gradient(g, leaf, v.detach(), false);
}

template Tensor jacobian(const TensorFunction<float>&, const Tensor&);
template TensorD jacobian(const TensorFunction<double>&, const TensorD&);
template Tensor hessian(const TensorFunction<float>&, const Tensor&);
template TensorD hessian(const TensorFunction<double>&, const TensorD&);
template Tensor hvp(const TensorFunction<float>&, const Tensor&, const Tensor&);
template TensorD hvp(const TensorFunction<double>&, const TensorD&, const TensorD&);

}  // namespace tg
