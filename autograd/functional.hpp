#pragma once
// Derivatives of a whole function of one tensor, as torch.autograd.functional: the Jacobian,
// the Hessian of a scalar function, and a Hessian-vector product. The results are plain values
// (nothing recorded), and `x` is only read: its own gradient and flag are left as they are.
//
//   auto h = tg::hessian<double>([](const tg::TensorD& x) { return tg::sum(tg::tanh(x)); }, x);
#include <functional>
#include <type_traits>

#include "autograd/tensor.hpp"

namespace tg {

// T comes from x alone, so a lambda converts to the std::function.
template <class T>
using TensorFunction = std::type_identity_t<std::function<BasicTensor<T>(const BasicTensor<T>&)>>;

// d f(x) / d x, shaped f(x).shape + x.shape; zeros where f does not depend on x.
template <class T>
BasicTensor<T> jacobian(const TensorFunction<T>& f, const BasicTensor<T>& x);

// The second derivatives of a one-element f, shaped x.shape + x.shape.
template <class T>
BasicTensor<T> hessian(const TensorFunction<T>& f, const BasicTensor<T>& x);

// H(x) v for a one-element f, shaped as x: two backward sweeps, the Hessian never built.
template <class T>
BasicTensor<T> hvp(const TensorFunction<T>& f, const BasicTensor<T>& x, const BasicTensor<T>& v);

extern template Tensor jacobian(const TensorFunction<float>&, const Tensor&);
extern template TensorD jacobian(const TensorFunction<double>&, const TensorD&);
extern template Tensor hessian(const TensorFunction<float>&, const Tensor&);
extern template TensorD hessian(const TensorFunction<double>&, const TensorD&);
extern template Tensor hvp(const TensorFunction<float>&, const Tensor&, const Tensor&);
extern template TensorD hvp(const TensorFunction<double>&, const TensorD&, const TensorD&);

}  // namespace tg
