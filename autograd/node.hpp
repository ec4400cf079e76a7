#pragma once
// A tape node: the gradient rule of one recorded operation, the tensors the rule needs
// (saved by value and version) and edges to where its inputs' gradients go.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <xtensor/xstorage.hpp>

#include "autograd/tensor.hpp"

namespace tg {

// One gradient per input; its few elements come from the tape's pool, not the heap.
template <class T>
using Grads = std::vector<BasicTensor<T>, detail::PoolAllocator<BasicTensor<T>>>;

// Where the gradient of one input goes: the node that produced it, or the leaf itself.
template <class T>
struct Edge {
  std::shared_ptr<Node<T>> node;
  std::shared_ptr<TensorImpl<T>> leaf;
  xt::svector<std::size_t, 4> shape;  // the input's shape: the engine sums gradients back to it
  bool needs_grad() const { return node || leaf; }
};

template <class T>
using EdgeList = std::vector<Edge<T>, detail::PoolAllocator<Edge<T>>>;

// A tensor a rule needs later, with the version it had when saved.
template <class T>
class SavedTensor {
 public:
  static SavedTensor input(const BasicTensor<T>& t);
  // An operation's own output is saved without its node, which would be a cycle.
  static SavedTensor output(const std::shared_ptr<Storage<T>>& storage);

  BasicTensor<T> unpack(Node<T>& owner) const;
  void move_into(std::vector<std::shared_ptr<void>>& sink);

 private:
  std::shared_ptr<TensorImpl<T>> impl_;
  std::shared_ptr<Storage<T>> storage_;
  std::uint64_t version_ = 0;
};

namespace detail {
// A rule asked for what its operation did not record: throws naming the operation.
[[noreturn]] void bad_saved_access(const char* op, const char* what, std::size_t index, std::size_t count);
}  // namespace detail

// What a gradient rule sees: the saved tensors (OpSpec::save, in order), the output (when
// OpSpec::save_output) and which inputs need a gradient. Asking for anything else throws.
template <class T>
class Saved {
 public:
  Saved(const char* op, Grads<T> tensors, BasicTensor<T> output, const EdgeList<T>& edges)
      : op_(op), tensors_(std::move(tensors)), output_(std::move(output)), edges_(edges) {}
  const BasicTensor<T>& operator[](std::size_t i) const {
    if (i >= tensors_.size()) detail::bad_saved_access(op_, "saved tensor", i, tensors_.size());
    return tensors_[i];
  }
  const BasicTensor<T>& output() const {
    if (!output_.defined()) detail::bad_saved_access(op_, "output", 0, 0);
    return output_;
  }
  bool needs(std::size_t input) const {
    if (input >= edges_.size()) detail::bad_saved_access(op_, "input", input, edges_.size());
    return edges_[input].needs_grad();
  }

 private:
  const char* op_;
  Grads<T> tensors_;
  BasicTensor<T> output_;
  const EdgeList<T>& edges_;
};

template <class T>
class Node : public std::enable_shared_from_this<Node<T>> {
 public:
  // Rules capture only plain values (shapes, axes, scalars); tensors go through `saved`.
  using Rule = std::function<Grads<T>(const BasicTensor<T>& grad, const Saved<T>& saved)>;

  Node(const char* name, EdgeList<T> edges, std::vector<SavedTensor<T>, detail::PoolAllocator<SavedTensor<T>>> saved,
       Rule rule);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const char* name() const { return name_; }
  std::uint64_t sequence() const { return sequence_; }
  const EdgeList<T>& edges() const { return edges_; }

  void save_output(const std::shared_ptr<Storage<T>>& storage);
  // Runs the rule on the gradient of this node's output: one gradient per input, undefined or
  // summed back to its input's shape (broadcasting). A rule returning anything else throws
  // naming this operation.
  Grads<T> apply(const BasicTensor<T>& grad);
  void release_saved();
  bool released() const { return released_; }

  // Scratch state of the engine's sweep.
  BasicTensor<T> grad_buffer;
  std::uint64_t visit_mark = 0;
  bool needed = false;

 private:
  void move_saved_into(std::vector<std::shared_ptr<void>>& owned);

  const char* name_;
  std::uint64_t sequence_;
  EdgeList<T> edges_;
  std::vector<SavedTensor<T>, detail::PoolAllocator<SavedTensor<T>>> saved_;
  std::optional<SavedTensor<T>> saved_output_;
  Rule rule_;
  bool released_ = false;
};

namespace detail {
std::uint64_t next_sequence();
// What a node owned goes into this per-thread queue, and the outermost release destroys it
// item by item: destroying a 10^6-long chain never recurses, so the stack cannot overflow.
std::vector<std::shared_ptr<void>>& release_queue();
void drain_release_queue();
}  // namespace detail

extern template class SavedTensor<float>;
extern template class SavedTensor<double>;
extern template class Node<float>;
extern template class Node<double>;

}  // namespace tg
