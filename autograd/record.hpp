#pragma once
// How an operation goes on the tape. An op computes its forward value and hands it to
// record() with its inputs, the tensors its rule needs and the rule itself:
//
//   return record<T>({.name = "exp", .inputs = {x}, .save_output = true}, xt::exp(x.value()),
//                    [](const BasicTensor<T>& g, const Saved<T>& s) { return Grads<T>{g * s.output()}; });
//
// Nothing is recorded while grad mode is off or when no input requires grad.
#include <initializer_list>
#include <vector>

#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"

namespace tg {

// A borrowed list of tensors: a braced list at the call site or a vector.
template <class T>
class TensorList {
 public:
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  // The braced list lives until the end of the call that record() is part of: long enough.
  TensorList(std::initializer_list<BasicTensor<T>> list) : data_(list.begin()), size_(list.size()) {}
#pragma GCC diagnostic pop
  TensorList(const std::vector<BasicTensor<T>>& list) : data_(list.data()), size_(list.size()) {}
  const BasicTensor<T>* begin() const { return data_; }
  const BasicTensor<T>* end() const { return data_ + size_; }
  std::size_t size() const { return size_; }

 private:
  const BasicTensor<T>* data_;
  std::size_t size_;
};

template <class T>
struct OpSpec {
  const char* name;
  TensorList<T> inputs;
  TensorList<T> save = {};
  bool save_output = false;
};

template <class T>
bool any_requires_grad(TensorList<T> inputs) {
  if (!GradMode::enabled()) return false;
  for (const auto& t : inputs)
    if (t.defined() && t.requires_grad()) return true;
  return false;
}

// Links `out` to a new node holding `rule`; called only when something requires grad.
template <class T>
void attach_node(BasicTensor<T>& out, const OpSpec<T>& op, typename Node<T>::Rule rule);

// `value` is the forward's result: an array, or an xtensor expression the new tensor evaluates.
template <class T, class E, class Rule>
BasicTensor<T> record(const OpSpec<T>& op, E&& value, Rule&& rule) {
  BasicTensor<T> out = make_tensor<T>(std::forward<E>(value));
  if (any_requires_grad(op.inputs)) attach_node(out, op, typename Node<T>::Rule(std::forward<Rule>(rule)));
  return out;
}

extern template void attach_node(BasicTensor<float>&, const OpSpec<float>&, Node<float>::Rule);
extern template void attach_node(BasicTensor<double>&, const OpSpec<double>&, Node<double>::Rule);

}  // namespace tg
