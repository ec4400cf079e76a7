#include "ops/math.hpp"

#include <xtensor/xmath.hpp>

#include "autograd/record.hpp"

namespace tg {

template <class T>
BasicTensor<T> exp(const BasicTensor<T>& x) {
  return record<T>({.name = "exp", .inputs = {x}, .save_output = true}, xt::exp(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g * s.output()}; });
}

template <class T>
BasicTensor<T> log(const BasicTensor<T>& x) {
  return record<T>({.name = "log", .inputs = {x}, .save = {x}}, xt::log(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g / s[0]}; });
}

template <class T>
BasicTensor<T> sqrt(const BasicTensor<T>& x) {
  return record<T>({.name = "sqrt", .inputs = {x}, .save_output = true}, xt::sqrt(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g / (s.output() * T(2))}; });
}

template <class T>
BasicTensor<T> abs(const BasicTensor<T>& x) {
  return record<T>({.name = "abs", .inputs = {x}, .save = {x}}, xt::abs(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g * sign(s[0])}; });
}

template <class T>
BasicTensor<T> square(const BasicTensor<T>& x) {
  return record<T>({.name = "square", .inputs = {x}, .save = {x}}, x.value() * x.value(),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g * s[0] * T(2)}; });
}

template <class T>
BasicTensor<T> sin(const BasicTensor<T>& x) {
  return record<T>({.name = "sin", .inputs = {x}, .save = {x}}, xt::sin(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g * cos(s[0])}; });
}

template <class T>
BasicTensor<T> cos(const BasicTensor<T>& x) {
  return record<T>({.name = "cos", .inputs = {x}, .save = {x}}, xt::cos(x.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{neg(g * sin(s[0]))}; });
}

template <class T>
BasicTensor<T> pow(const BasicTensor<T>& x, Scalar<T> p) {
  return record<T>({.name = "pow_scalar", .inputs = {x}, .save = {x}}, xt::pow(x.value(), p),
                   [p](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{p == T(0) ? g * T(0) : g * pow(s[0], p - T(1)) * p};
                   });
}

template <class T>
BasicTensor<T> pow(const BasicTensor<T>& x, const BasicTensor<T>& e) {
  check_broadcast("pow", x, e);
  return record<T>({.name = "pow", .inputs = {x, e}, .save = {x, e}, .save_output = true},
                   xt::pow(x.value(), e.value()), [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{s.needs(0) ? g * s[1] * pow(s[0], s[1] - T(1)) : BasicTensor<T>(),
                                     s.needs(1) ? g * s.output() * log(s[0]) : BasicTensor<T>()};
                   });
}

template <class T>
BasicTensor<T> sign(const BasicTensor<T>& x) {
  return make_tensor<T>(xt::sign(x.value()));
}

#define TG_INSTANTIATE(T)                                                   \
  template BasicTensor<T> exp(const BasicTensor<T>&);                        \
  template BasicTensor<T> log(const BasicTensor<T>&);                        \
  template BasicTensor<T> sqrt(const BasicTensor<T>&);                       \
  template BasicTensor<T> abs(const BasicTensor<T>&);                        \
  template BasicTensor<T> square(const BasicTensor<T>&);                     \
  template BasicTensor<T> sin(const BasicTensor<T>&);                        \
  template BasicTensor<T> cos(const BasicTensor<T>&);                        \
  template BasicTensor<T> pow(const BasicTensor<T>&, Scalar<T>);             \
  template BasicTensor<T> pow(const BasicTensor<T>&, const BasicTensor<T>&); \
  template BasicTensor<T> sign(const BasicTensor<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
