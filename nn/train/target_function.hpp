#pragma once
// A function of a model's output and its target that fit() can call for a model of either
// element type: a loss (returning a scalar tensor) or a metric (returning a number). The
// target is the batch's rows of a target column, as a tensor, or its class labels.
#include <concepts>
#include <functional>
#include <string>
#include <type_traits>
#include <variant>

#include "autograd/tensor.hpp"
#include "nn/labels.hpp"

namespace tg::nn {

template <class T>
using Target = std::variant<BasicTensor<T>, Labels>;

// R<T> is what the function returns for a model of element type T. Built from any callable
// that takes (prediction, target rows) or (prediction, labels), in float, double or both; write
// a lambda's argument types out (a generic lambda is tried with every form).
template <template <class> class R>
class TargetFunction {
 public:
  template <class F>
    requires(!std::same_as<std::decay_t<F>, TargetFunction>)
  TargetFunction(F f)
      : float_rows_(form<float, Tensor>(f)),
        float_labels_(form<float, Labels>(f)),
        double_rows_(form<double, TensorD>(f)),
        double_labels_(form<double, Labels>(f)) {
    static_assert(std::is_invocable_v<const F&, const Tensor&, const Tensor&> ||
                      std::is_invocable_v<const F&, const Tensor&, const Labels&> ||
                      std::is_invocable_v<const F&, const TensorD&, const TensorD&> ||
                      std::is_invocable_v<const F&, const TensorD&, const Labels&>,
                  "a loss or metric takes (prediction, target tensor) or (prediction, labels)");
  }

  // Whether it takes a target of this kind for a model of element type T.
  template <class T>
  bool takes(bool labels) const {
    if constexpr (std::is_same_v<T, float>) return labels ? bool(float_labels_) : bool(float_rows_);
    else return labels ? bool(double_labels_) : bool(double_rows_);
  }

  // Throws tg::Error when it does not take this target (check takes() first for a better message).
  template <class T>
  R<T> operator()(const BasicTensor<T>& prediction, const Target<T>& target) const {
    if (const auto* labels = std::get_if<Labels>(&target)) return call(for_labels<T>(), prediction, *labels);
    return call(for_rows<T>(), prediction, std::get<BasicTensor<T>>(target));
  }

 private:
  template <class T, class Targets>
  using Form = std::function<R<T>(const BasicTensor<T>&, const Targets&)>;

  template <class T, class Targets, class F>
  static Form<T, Targets> form(const F& f) {
    if constexpr (std::is_invocable_r_v<R<T>, const F&, const BasicTensor<T>&, const Targets&>) return f;
    else return {};
  }
  template <class Fn, class T, class Targets>
  static R<T> call(const Fn& fn, const BasicTensor<T>& prediction, const Targets& target) {
    if (!fn) throw Error("the loss or metric does not take this kind of target");
    return fn(prediction, target);
  }
  template <class T>
  const auto& for_rows() const {
    if constexpr (std::is_same_v<T, float>) return float_rows_;
    else return double_rows_;
  }
  template <class T>
  const auto& for_labels() const {
    if constexpr (std::is_same_v<T, float>) return float_labels_;
    else return double_labels_;
  }

  Form<float, Tensor> float_rows_;
  Form<float, Labels> float_labels_;
  Form<double, TensorD> double_rows_;
  Form<double, Labels> double_labels_;
};

}  // namespace tg::nn
