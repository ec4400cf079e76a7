#include "ops/activation.hpp"

#include <numbers>

#include <xtensor/xmath.hpp>

#include "autograd/record.hpp"
#include "ops/math.hpp"

namespace tg {
namespace {

// 1 where the condition holds, else 0: a constant that gates a gradient.
template <class T, class E>
BasicTensor<T> mask(E&& condition) {
  return make_tensor<T>(xt::cast<T>(std::forward<E>(condition)));
}

template <class T>
constexpr T gelu_k = static_cast<T>(0.7978845608028654);  // sqrt(2 / pi)
template <class T>
constexpr T gelu_c = static_cast<T>(0.044715);

// g where relu's output is positive, else 0, in one pass: relu's gradient. It is linear in g,
// so its own gradient gates the same way; the output only selects (derivative 0 a.e.).
template <class T>
BasicTensor<T> relu_gate(const BasicTensor<T>& g, const BasicTensor<T>& output) {
  return record<T>({.name = "relu_backward", .inputs = {g}, .save = {output}},
                   xt::where(output.value() > T(0), g.value(), T(0)),
                   [](const BasicTensor<T>& gg, const Saved<T>& s) { return Grads<T>{relu_gate(gg, s[0])}; });
}

}  // namespace

template <class T>
BasicTensor<T> sigmoid(const BasicTensor<T>& x) {
  return record<T>({.name = "sigmoid", .inputs = {x}, .save_output = true}, T(1) / (T(1) + xt::exp(-x.value())),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{g * s.output() * rsub(T(1), s.output())};
                   });
}

template <class T>
BasicTensor<T> tanh(const BasicTensor<T>& x) {
  return record<T>({.name = "tanh", .inputs = {x}, .save_output = true}, xt::tanh(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{g * rsub(T(1), square(s.output()))};
                   });
}

template <class T>
BasicTensor<T> relu(const BasicTensor<T>& x) {
  return record<T>({.name = "relu", .inputs = {x}, .save_output = true}, xt::maximum(x.value(), T(0)),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{relu_gate(g, s.output())}; });
}

template <class T>
BasicTensor<T> leaky_relu(const BasicTensor<T>& x, Scalar<T> slope) {
  return record<T>({.name = "leaky_relu", .inputs = {x}, .save = {x}},
                   xt::where(x.value() > T(0), x.value(), x.value() * slope),
                   [slope](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{g * make_tensor<T>(xt::where(s[0].value() > T(0), T(1), slope))};
                   });
}

template <class T>
BasicTensor<T> elu(const BasicTensor<T>& x, Scalar<T> alpha) {
  return record<T>({.name = "elu", .inputs = {x}, .save = {x}, .save_output = true},
                   xt::where(x.value() > T(0), x.value(), alpha * (xt::exp(x.value()) - T(1))),
                   [alpha](const BasicTensor<T>& g, const Saved<T>& s) {
                     // Below zero the derivative alpha * exp(x) equals output + alpha.
                     auto positive = mask<T>(s[0].value() > T(0));
                     auto negative = mask<T>(s[0].value() <= T(0));
                     return Grads<T>{g * (positive + negative * (s.output() + alpha))};
                   });
}

template <class T>
BasicTensor<T> gelu(const BasicTensor<T>& x) {
  const auto& v = x.value();
  return record<T>({.name = "gelu", .inputs = {x}, .save = {x}},
                   T(0.5) * v * (T(1) + xt::tanh(gelu_k<T> * (v + gelu_c<T> * v * v * v))),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     const auto& x = s[0];
                     auto t = tanh((x + gelu_c<T> * x * square(x)) * gelu_k<T>);
                     auto inner = (T(3) * gelu_c<T> * square(x) + T(1)) * gelu_k<T>;
                     return Grads<T>{g * (T(0.5) * (t + T(1)) + T(0.5) * x * rsub(T(1), square(t)) * inner)};
                   });
}

template <class T>
BasicTensor<T> softplus(const BasicTensor<T>& x) {
  const auto& v = x.value();
  return record<T>({.name = "softplus", .inputs = {x}, .save = {x}},
                   xt::log1p(xt::exp(-xt::abs(v))) + xt::maximum(v, T(0)),  // never overflows
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g * sigmoid(s[0])}; });
}

#define TG_INSTANTIATE(T)                                              \
  template BasicTensor<T> sigmoid(const BasicTensor<T>&);               \
  template BasicTensor<T> tanh(const BasicTensor<T>&);                  \
  template BasicTensor<T> relu(const BasicTensor<T>&);                  \
  template BasicTensor<T> leaky_relu(const BasicTensor<T>&, Scalar<T>); \
  template BasicTensor<T> elu(const BasicTensor<T>&, Scalar<T>);        \
  template BasicTensor<T> gelu(const BasicTensor<T>&);                  \
  template BasicTensor<T> softplus(const BasicTensor<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
