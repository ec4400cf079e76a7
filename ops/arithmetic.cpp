#include "ops/arithmetic.hpp"

#include "autograd/record.hpp"
#include "ops/math.hpp"

namespace tg {

// The engine sums each gradient back to its input's shape, so no rule handles broadcasting.
template <class T>
BasicTensor<T> add(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  check_broadcast("add", a, b);
  return record<T>({.name = "add", .inputs = {a, b}}, a.value() + b.value(),
                   [](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{g, g}; });
}

template <class T>
BasicTensor<T> sub(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  check_broadcast("sub", a, b);
  return record<T>({.name = "sub", .inputs = {a, b}}, a.value() - b.value(),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{g, s.needs(1) ? neg(g) : BasicTensor<T>()};
                   });
}

template <class T>
BasicTensor<T> mul(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  check_broadcast("mul", a, b);
  return record<T>({.name = "mul", .inputs = {a, b}, .save = {a, b}}, a.value() * b.value(),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{s.needs(0) ? g * s[1] : BasicTensor<T>(), s.needs(1) ? g * s[0] : BasicTensor<T>()};
                   });
}

template <class T>
BasicTensor<T> div(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  check_broadcast("div", a, b);
  return record<T>({.name = "div", .inputs = {a, b}, .save = {a, b}}, a.value() / b.value(),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{s.needs(0) ? g / s[1] : BasicTensor<T>(),
                                     s.needs(1) ? neg(g * s[0] / square(s[1])) : BasicTensor<T>()};
                   });
}

template <class T>
BasicTensor<T> neg(const BasicTensor<T>& a) {
  return record<T>({.name = "neg", .inputs = {a}}, -a.value(),
                   [](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{neg(g)}; });
}

template <class T>
BasicTensor<T> add(const BasicTensor<T>& a, Scalar<T> s) {
  return record<T>({.name = "add_scalar", .inputs = {a}}, a.value() + s,
                   [](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{g}; });
}

template <class T>
BasicTensor<T> mul(const BasicTensor<T>& a, Scalar<T> s) {
  return record<T>({.name = "mul_scalar", .inputs = {a}}, a.value() * s,
                   [s](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{g * s}; });
}

template <class T>
BasicTensor<T> rsub(Scalar<T> s, const BasicTensor<T>& a) {
  return record<T>({.name = "rsub_scalar", .inputs = {a}}, s - a.value(),
                   [](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{neg(g)}; });
}

template <class T>
BasicTensor<T> rdiv(Scalar<T> s, const BasicTensor<T>& a) {
  return record<T>({.name = "rdiv_scalar", .inputs = {a}, .save = {a}}, s / a.value(),
                   [s](const BasicTensor<T>& g, const Saved<T>& saved) {
                     return Grads<T>{g * (-s) / square(saved[0])};
                   });
}

#define TG_INSTANTIATE(T)                                                   \
  template BasicTensor<T> add(const BasicTensor<T>&, const BasicTensor<T>&); \
  template BasicTensor<T> sub(const BasicTensor<T>&, const BasicTensor<T>&); \
  template BasicTensor<T> mul(const BasicTensor<T>&, const BasicTensor<T>&); \
  template BasicTensor<T> div(const BasicTensor<T>&, const BasicTensor<T>&); \
  template BasicTensor<T> neg(const BasicTensor<T>&);                        \
  template BasicTensor<T> add(const BasicTensor<T>&, Scalar<T>);             \
  template BasicTensor<T> mul(const BasicTensor<T>&, Scalar<T>);             \
  template BasicTensor<T> rsub(Scalar<T>, const BasicTensor<T>&);            \
  template BasicTensor<T> rdiv(Scalar<T>, const BasicTensor<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
