#pragma once
// BasicTensor: a cheap shared handle to a value, its accumulated gradient and the tape node
// that produced it. Values are never changed behind the tape's back: in-place writes go
// through mutable_value(), which bumps the version the tape checks.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/allocator.hpp"
#include "autograd/shape.hpp"

namespace tg {

template <class T>
class Node;
template <class T>
struct TensorImpl;

// The value and its version counter; shared by a tensor, its detach() and saved outputs.
template <class T>
struct Storage {
  xt::xarray<T> value;
  std::uint64_t version = 0;
};

struct BackwardOptions {
  bool retain_graph = false;  // keep saved tensors so the graph can be swept again
  bool create_graph = false;  // record the backward pass itself (higher derivatives)
};

template <class T>
class BasicTensor {
 public:
  using value_type = T;

  BasicTensor() = default;  // an undefined tensor (e.g. a gradient nothing reached)
  explicit BasicTensor(std::shared_ptr<TensorImpl<T>> impl) : impl_(std::move(impl)) {}
  static BasicTensor from(xt::xarray<T> values, bool requires_grad = false);

  bool defined() const { return impl_ != nullptr; }
  const xt::xarray<T>& value() const;
  Shape shape() const;
  std::size_t dim() const;
  std::size_t size() const;
  T item() const;  // the single element of a one-element tensor

  bool requires_grad() const;
  BasicTensor& set_requires_grad(bool requires_grad);  // leaves only
  bool is_leaf() const;
  const std::shared_ptr<Node<T>>& grad_fn() const;

  BasicTensor grad() const;  // undefined until a backward reaches this tensor
  void zero_grad();
  BasicTensor detach() const;  // same value, no history
  void backward(const BackwardOptions& options = {}) const;  // of a one-element tensor
  void backward(const BasicTensor& seed, const BackwardOptions& options = {}) const;

  // Runs hook(leaf) each time a backward() has summed every contribution of its sweep into this
  // leaf's grad, as PyTorch's register_post_accumulate_grad_hook (data-parallel training starts
  // sending a gradient from there). The hook gets the leaf: capturing it would be a cycle.
  // Returns the key that removes it.
  std::size_t register_post_accumulate_grad_hook(std::function<void(const BasicTensor&)> hook);
  void remove_post_accumulate_grad_hook(std::size_t key);

  // In-place access for optimizers and data filling: bumps the version so that a tape that
  // saved this tensor refuses to use the stale value. A leaf that requires grad may only be
  // changed while grad mode is off (NoGradGuard).
  xt::xarray<T>& mutable_value();
  std::uint64_t version() const;

  TensorImpl<T>& impl() const;
  const std::shared_ptr<TensorImpl<T>>& impl_ptr() const { return impl_; }
  bool is_same(const BasicTensor& other) const { return impl_ == other.impl_; }
  std::shared_ptr<TensorImpl<T>> take_impl() { return std::move(impl_); }

 private:
  const TensorImpl<T>& checked(const char* what) const;
  std::shared_ptr<TensorImpl<T>> impl_;
};

// A leaf's post-accumulate-grad hooks, by key.
template <class T>
struct GradHooks {
  std::vector<std::pair<std::size_t, std::function<void(const BasicTensor<T>&)>>> hooks;
  std::size_t next_key = 0;
};

template <class T>
struct TensorImpl {
  std::shared_ptr<Storage<T>> storage;
  std::shared_ptr<Node<T>> grad_fn;  // null for leaves
  BasicTensor<T> grad;
  std::unique_ptr<GradHooks<T>> grad_hooks;  // null unless a hook was registered: most tensors have none
  bool requires_grad = false;
};

using Tensor = BasicTensor<float>;
using TensorD = BasicTensor<double>;

// A fresh leaf holding `value`.
template <class T>
BasicTensor<T> make_tensor(xt::xarray<T>&& value, bool requires_grad = false) {
  auto impl = std::allocate_shared<TensorImpl<T>>(detail::PoolAllocator<TensorImpl<T>>());
  impl->storage = std::allocate_shared<Storage<T>>(detail::PoolAllocator<Storage<T>>(), Storage<T>{std::move(value), 0});
  impl->requires_grad = requires_grad;
  return BasicTensor<T>(std::move(impl));
}

extern template class BasicTensor<float>;
extern template class BasicTensor<double>;

}  // namespace tg
