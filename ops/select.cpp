#include "ops/select.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xoperation.hpp>

#include "autograd/record.hpp"

namespace tg {
namespace {

// The share of the gradient that goes to `a` when choosing between a and b: ties split it.
template <class T>
BasicTensor<T> share_of_a(const BasicTensor<T>& a, const BasicTensor<T>& b, bool a_wins_when_greater) {
  const auto& va = a.value();
  const auto& vb = b.value();
  xt::xarray<T> wins = a_wins_when_greater ? xt::xarray<T>(xt::cast<T>(va > vb)) : xt::xarray<T>(xt::cast<T>(va < vb));
  return make_tensor<T>(wins + T(0.5) * xt::cast<T>(xt::equal(va, vb)));
}

// The rule of maximum (or minimum): each input gets the gradient where it was chosen.
template <class T>
auto choice_rule(bool maximum) {
  return [maximum](const BasicTensor<T>& g, const Saved<T>& s) {
    const auto share = share_of_a(s[0], s[1], maximum);
    return Grads<T>{s.needs(0) ? g * share : BasicTensor<T>(), s.needs(1) ? g * rsub(T(1), share) : BasicTensor<T>()};
  };
}

template <class T, class Compare>
BasicTensor<T> compare(const char* name, const BasicTensor<T>& a, const BasicTensor<T>& b, Compare cmp) {
  check_broadcast(name, a, b);
  return make_tensor<T>(xt::cast<T>(cmp(a.value(), b.value())));
}

}  // namespace

template <class T>
BasicTensor<T> maximum(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  check_broadcast("maximum", a, b);
  return record<T>({.name = "maximum", .inputs = {a, b}, .save = {a, b}}, xt::maximum(a.value(), b.value()),
                   choice_rule<T>(true));
}

template <class T>
BasicTensor<T> minimum(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  check_broadcast("minimum", a, b);
  return record<T>({.name = "minimum", .inputs = {a, b}, .save = {a, b}}, xt::minimum(a.value(), b.value()),
                   choice_rule<T>(false));
}

template <class T>
BasicTensor<T> clamp(const BasicTensor<T>& x, Scalar<T> lo, Scalar<T> hi) {
  if (!(lo <= hi)) throw Error("clamp: lo " + std::to_string(lo) + " is greater than hi " + std::to_string(hi));
  return record<T>({.name = "clamp", .inputs = {x}, .save = {x}}, xt::clip(x.value(), lo, hi),
                   [lo, hi](const BasicTensor<T>& g, const Saved<T>& s) {
                     const auto& v = s[0].value();
                     return Grads<T>{g * make_tensor<T>(xt::cast<T>(v >= lo && v <= hi))};
                   });
}

template <class T>
BasicTensor<T> where(const BasicTensor<T>& condition, const BasicTensor<T>& a, const BasicTensor<T>& b) {
  broadcast_shapes(broadcast_shapes(condition.shape(), a.shape(), "where"), b.shape(), "where");
  const BasicTensor<T> cond = condition.detach();
  return record<T>({.name = "where", .inputs = {a, b}, .save = {cond}},
                   xt::where(xt::not_equal(cond.value(), T(0)), a.value(), b.value()),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     auto chosen = make_tensor<T>(xt::cast<T>(xt::not_equal(s[0].value(), T(0))));
                     return Grads<T>{s.needs(0) ? g * chosen : BasicTensor<T>(),
                                     s.needs(1) ? g * rsub(T(1), chosen) : BasicTensor<T>()};
                   });
}

template <class T>
BasicTensor<T> gt(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return compare("gt", a, b, [](const auto& x, const auto& y) { return x > y; });
}
template <class T>
BasicTensor<T> ge(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return compare("ge", a, b, [](const auto& x, const auto& y) { return x >= y; });
}
template <class T>
BasicTensor<T> lt(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return compare("lt", a, b, [](const auto& x, const auto& y) { return x < y; });
}
template <class T>
BasicTensor<T> le(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return compare("le", a, b, [](const auto& x, const auto& y) { return x <= y; });
}
template <class T>
BasicTensor<T> eq(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return compare("eq", a, b, [](const auto& x, const auto& y) { return xt::equal(x, y); });
}
template <class T>
BasicTensor<T> ne(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  return compare("ne", a, b, [](const auto& x, const auto& y) { return xt::not_equal(x, y); });
}

#define TG_INSTANTIATE(T)                                                                                  \
  template BasicTensor<T> maximum(const BasicTensor<T>&, const BasicTensor<T>&);                           \
  template BasicTensor<T> minimum(const BasicTensor<T>&, const BasicTensor<T>&);                           \
  template BasicTensor<T> clamp(const BasicTensor<T>&, Scalar<T>, Scalar<T>);                              \
  template BasicTensor<T> where(const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&);      \
  template BasicTensor<T> gt(const BasicTensor<T>&, const BasicTensor<T>&);                                \
  template BasicTensor<T> ge(const BasicTensor<T>&, const BasicTensor<T>&);                                \
  template BasicTensor<T> lt(const BasicTensor<T>&, const BasicTensor<T>&);                                \
  template BasicTensor<T> le(const BasicTensor<T>&, const BasicTensor<T>&);                                \
  template BasicTensor<T> eq(const BasicTensor<T>&, const BasicTensor<T>&);                                \
  template BasicTensor<T> ne(const BasicTensor<T>&, const BasicTensor<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
