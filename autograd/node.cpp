#include "autograd/node.hpp"

#include <algorithm>
#include <string>

#include "autograd/thread_local.hpp"
#include "ops/reduce.hpp"

namespace tg {

namespace detail {

std::uint64_t next_sequence() {
  TG_THREAD_LOCAL std::uint64_t sequence = 0;
  return ++sequence;
}

namespace {
TG_THREAD_LOCAL bool draining = false;
TG_THREAD_LOCAL std::vector<std::shared_ptr<void>> pending;
}  // namespace

std::vector<std::shared_ptr<void>>& release_queue() { return pending; }

void drain_release_queue() {
  if (draining) return;  // the outermost release drains the queue
  draining = true;
  while (!pending.empty()) {
    std::shared_ptr<void> last = std::move(pending.back());
    pending.pop_back();
    last.reset();  // may destroy further nodes, which queue what they own
  }
  draining = false;
}

void bad_saved_access(const char* op, const char* what, std::size_t index, std::size_t count) {
  const std::string rule = std::string("backward: the gradient rule of '") + op + "' ";
  if (std::string(what) == "output")
    throw Error(rule + "reads its output, but '" + op + "' was recorded without save_output");
  if (std::string(what) == "input")
    throw Error(rule + "asks whether input " + std::to_string(index) + " needs a gradient, but '" + op + "' has " +
                std::to_string(count) + " inputs");
  throw Error(rule + "reads saved tensor " + std::to_string(index) + ", but '" + op + "' saved " +
              std::to_string(count) + " (OpSpec::save)");
}

}  // namespace detail

namespace {

template <class T>
[[noreturn]] void bad_gradient(const char* op, std::size_t input, const BasicTensor<T>& g, const Edge<T>& e) {
  throw Error(std::string("backward: the gradient rule of '") + op + "' returned a gradient of shape " +
              shape_str(g.value().shape()) + " for input " + std::to_string(input) + " of shape " +
              shape_str(e.shape) + "; it must have the input's shape or one the input broadcasts to");
}

}  // namespace

template <class T>
SavedTensor<T> SavedTensor<T>::input(const BasicTensor<T>& t) {
  SavedTensor s;
  if (!t.defined()) return s;
  s.impl_ = detail::TensorAccess::impl_ptr(t);
  s.version_ = t.version();
  return s;
}

template <class T>
SavedTensor<T> SavedTensor<T>::output(const std::shared_ptr<Storage<T>>& storage) {
  SavedTensor s;
  s.storage_ = storage;
  s.version_ = storage->version;
  return s;
}

template <class T>
BasicTensor<T> SavedTensor<T>::unpack(Node<T>& owner) const {
  if (!impl_ && !storage_) return {};  // an optional input that was absent
  const Storage<T>& storage = impl_ ? *impl_->storage : *storage_;
  if (storage.version != version_)
    throw Error(std::string("backward: a tensor saved by '") + owner.name() +
                "' was modified in place after it was saved (version " + std::to_string(version_) + ", now " +
                std::to_string(storage.version) + "); its gradient would be wrong");
  if (impl_) return detail::TensorAccess::wrap(impl_);
  auto impl = std::allocate_shared<TensorImpl<T>>(detail::PoolAllocator<TensorImpl<T>>());
  impl->storage = storage_;
  impl->grad_fn = owner.shared_from_this();
  impl->requires_grad = true;
  return detail::TensorAccess::wrap(std::move(impl));
}

template <class T>
void SavedTensor<T>::move_into(std::vector<std::shared_ptr<void>>& sink) {
  if (impl_) sink.push_back(std::move(impl_));
  if (storage_) sink.push_back(std::move(storage_));
}

template <class T>
Node<T>::Node(const char* name, EdgeList<T> edges,
              std::vector<SavedTensor<T>, detail::PoolAllocator<SavedTensor<T>>> saved, Rule rule)
    : name_(name),
      sequence_(detail::next_sequence()),
      edges_(std::move(edges)),
      saved_(std::move(saved)),
      rule_(std::move(rule)) {}

template <class T>
Node<T>::~Node() {
  auto& queue = detail::release_queue();
  for (auto& e : edges_) {
    if (e.node) queue.push_back(std::move(e.node));
    if (e.leaf) queue.push_back(std::move(e.leaf));
  }
  move_saved_into(queue);
  if (grad_buffer.defined()) queue.push_back(detail::TensorAccess::take_impl(grad_buffer));
  detail::drain_release_queue();
}

template <class T>
void Node<T>::save_output(const std::shared_ptr<Storage<T>>& storage) {
  saved_output_ = SavedTensor<T>::output(storage);
}

template <class T>
Grads<T> Node<T>::apply(const BasicTensor<T>& grad) {
  if (released_)
    throw Error(std::string("backward: the graph through '") + name_ +
                "' was already freed by an earlier backward; pass retain_graph = true to sweep it twice");
  Grads<T> tensors;
  tensors.reserve(saved_.size());
  for (const auto& s : saved_) tensors.push_back(s.unpack(*this));
  BasicTensor<T> output = saved_output_ ? saved_output_->unpack(*this) : BasicTensor<T>();
  Grads<T> grads = rule_(grad, Saved<T>(name_, std::move(tensors), std::move(output), edges_));
  if (grads.size() != edges_.size())
    throw Error(std::string("backward: the gradient rule of '") + name_ + "' returned " +
                std::to_string(grads.size()) + " gradients for " + std::to_string(edges_.size()) +
                " inputs; it must return one per input (undefined for an input that needs none)");
  for (std::size_t k = 0; k < grads.size(); ++k) {
    BasicTensor<T>& g = grads[k];
    if (!g.defined()) continue;
    const Edge<T>& e = edges_[k];
    const auto& shape = g.value().shape();
    if (std::equal(shape.begin(), shape.end(), e.shape.begin(), e.shape.end())) continue;
    if (!broadcasts_to(e.shape, shape)) bad_gradient(name_, k, g, e);
    if (e.needs_grad()) g = sum_to(g, Shape(e.shape.begin(), e.shape.end()));
  }
  return grads;
}

template <class T>
void Node<T>::move_saved_into(std::vector<std::shared_ptr<void>>& owned) {
  for (auto& s : saved_) s.move_into(owned);
  if (saved_output_) saved_output_->move_into(owned);
  saved_.clear();
  saved_output_.reset();
}

template <class T>
void Node<T>::release_saved() {
  move_saved_into(detail::release_queue());
  released_ = true;
  detail::drain_release_queue();
}

template class SavedTensor<float>;
template class SavedTensor<double>;
template class Node<float>;
template class Node<double>;

}  // namespace tg
