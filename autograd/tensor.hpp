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
#include "autograd/array_pool.hpp"
#include "autograd/shape.hpp"

namespace tg {

template <class T>
class Node;
template <class T>
struct TensorImpl;
template <class T>
class BasicTensor;

namespace detail {
// autograd/'s own way into a tensor's internals (the tape, the engine, saved tensors); nothing
// outside autograd/ uses it.
struct TensorAccess {
  template <class T>
  static BasicTensor<T> wrap(std::shared_ptr<TensorImpl<T>> impl);
  template <class T>
  static TensorImpl<T>& impl(const BasicTensor<T>& t);
  template <class T>
  static const std::shared_ptr<TensorImpl<T>>& impl_ptr(const BasicTensor<T>& t);
  template <class T>
  static std::shared_ptr<TensorImpl<T>> take_impl(BasicTensor<T>& t);
  template <class T>
  static bool exclusive(const BasicTensor<T>& t);
  template <class T>
  static xt::xarray<T>& write(const BasicTensor<T>& t);
};
}  // namespace detail

// The value and its version counter; shared by a tensor, its detach() and saved outputs.
template <class T>
struct Storage {
  // `v`: an array to take or an expression to evaluate straight into `value` (no array moved).
  template <class E>
  explicit Storage(E&& v) : value(detail::evaluate<T>(std::forward<E>(v))) {}
  ~Storage() { detail::recycle_buffer(value); }
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

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

  // The gradient is owned here: backward accumulates into it, and these are the only ways to change it.
  BasicTensor grad() const;  // undefined until a backward reaches this tensor
  void set_grad(const BasicTensor& grad);  // shaped as this tensor; undefined clears it
  void clear_grad();                       // undefined again, as zero_grad(set_to_none) in PyTorch 2
  void zero_grad();                        // zeros, in place when the buffer is not shared
  // The gradient's values to change in place (clipping, averaging over ranks): a gradient shared
  // with another tensor or a caller is first replaced by a private copy, so nobody else sees it.
  xt::xarray<T>& mutable_grad();
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

  bool is_same(const BasicTensor& other) const { return impl_ == other.impl_; }
  // The same for every handle to this tensor and different from every other live tensor's: a
  // key for sets and maps of tensors (parameters counted by identity).
  const void* identity() const { return impl_.get(); }

 private:
  friend struct detail::TensorAccess;
  explicit BasicTensor(std::shared_ptr<TensorImpl<T>> impl) : impl_(std::move(impl)) {}
  TensorImpl<T>& checked(const char* what) const;  // throws naming `what` when undefined
  // Whether the values may change in place unseen: no other handle, no detach() or saved output
  // sharing them, no history.
  bool exclusive() const;
  // The one place values change in place: bumps the version the tape checks.
  xt::xarray<T>& write() const;

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

namespace detail {
template <class T>
BasicTensor<T> TensorAccess::wrap(std::shared_ptr<TensorImpl<T>> impl) {
  return BasicTensor<T>(std::move(impl));
}
template <class T>
TensorImpl<T>& TensorAccess::impl(const BasicTensor<T>& t) {
  return t.checked("impl");
}
template <class T>
const std::shared_ptr<TensorImpl<T>>& TensorAccess::impl_ptr(const BasicTensor<T>& t) {
  return t.impl_;
}
template <class T>
std::shared_ptr<TensorImpl<T>> TensorAccess::take_impl(BasicTensor<T>& t) {
  return std::move(t.impl_);
}
template <class T>
bool TensorAccess::exclusive(const BasicTensor<T>& t) {
  return t.exclusive();
}
template <class T>
xt::xarray<T>& TensorAccess::write(const BasicTensor<T>& t) {
  return t.write();
}
}  // namespace detail

// A fresh leaf holding `value`: an array, or an xtensor expression evaluated into a recycled buffer.
template <class T, class E>
BasicTensor<T> make_tensor(E&& value, bool requires_grad = false) {
  auto impl = std::allocate_shared<TensorImpl<T>>(detail::PoolAllocator<TensorImpl<T>>());
  impl->storage = std::allocate_shared<Storage<T>>(detail::PoolAllocator<Storage<T>>(), std::forward<E>(value));
  impl->requires_grad = requires_grad;
  return detail::TensorAccess::wrap(std::move(impl));
}

extern template class BasicTensor<float>;
extern template class BasicTensor<double>;

}  // namespace tg
