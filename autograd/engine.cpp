#include "autograd/engine.hpp"

#include <algorithm>
#include <unordered_map>

#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"
#include "autograd/thread_local.hpp"
#include "ops/arithmetic.hpp"

namespace tg {
namespace {

// Adds `g` into `into`: in place when nobody else can see `into`, recorded when create_graph.
template <class T>
void accumulate(BasicTensor<T>& into, const BasicTensor<T>& g, bool create_graph) {
  if (!into.defined()) {
    into = g;
    return;
  }
  if (!create_graph && detail::TensorAccess::exclusive(into)) {
    xt::noalias(detail::TensorAccess::write(into)) += g.value();  // without, += evaluates into a new array
    return;
  }
  GradModeGuard mode(create_graph);
  into = add(into, g);
}

template <class T>
std::vector<Node<T>*> reachable_nodes(const std::vector<BasicTensor<T>>& outputs) {
  TG_THREAD_LOCAL std::uint64_t sweep = 0;
  const std::uint64_t mark = ++sweep;
  std::vector<Node<T>*> nodes, stack;
  for (const auto& out : outputs)
    if (Node<T>* n = out.grad_fn().get(); n && n->visit_mark != mark) {
      n->visit_mark = mark;
      stack.push_back(n);
    }
  while (!stack.empty()) {
    Node<T>* n = stack.back();
    stack.pop_back();
    nodes.push_back(n);
    for (const auto& e : n->edges())
      if (e.node && e.node->visit_mark != mark) {
        e.node->visit_mark = mark;
        stack.push_back(e.node.get());
      }
  }
  return nodes;
}

// Which tensors a grad() call wants; a plain backward wants every leaf.
template <class T>
struct Targets {
  bool all_leaves = true;
  std::unordered_map<const void*, std::size_t> index;  // leaf TensorImpl* or Node* -> input
  std::vector<BasicTensor<T>> grads;

  const std::size_t* find(const void* key) const {
    if (index.empty()) return nullptr;  // a plain backward: no hashing per node
    auto it = index.find(key);
    return it == index.end() ? nullptr : &it->second;
  }
};

// Leaves with post-accumulate-grad hooks: each hook runs when the last node that can deliver to
// its leaf in this sweep is done, so that it sees the finished gradient.
template <class T>
class GradHookCalls {
 public:
  void count(const Edge<T>& e) {
    if (e.leaf && e.leaf->grad_hooks) ++pending_[e.leaf.get()].edges;
  }
  void reached(TensorImpl<T>& leaf) {
    if (leaf.grad_hooks) pending_[&leaf].reached = true;
  }
  // `n` delivers nothing more: leaves it was the last to reach get their hooks called.
  void done(const Node<T>& n) {
    if (pending_.empty()) return;
    for (const auto& e : n.edges())
      if (e.leaf && e.leaf->grad_hooks && --pending_[e.leaf.get()].edges == 0) call(e.leaf);
  }
  // Outputs that are hooked leaves no node delivers to.
  void done(const std::shared_ptr<TensorImpl<T>>& output) {
    if (output->grad_hooks && pending_[output.get()].edges == 0) call(output);
  }

 private:
  struct Pending {
    std::size_t edges = 0;
    bool reached = false, called = false;
  };
  void call(const std::shared_ptr<TensorImpl<T>>& leaf) {
    Pending& p = pending_[leaf.get()];
    if (!p.reached || p.called) return;
    p.called = true;
    const BasicTensor<T> tensor = detail::TensorAccess::wrap(leaf);
    for (const auto& [key, hook] : std::vector(leaf->grad_hooks->hooks)) hook(tensor);  // a hook may remove hooks
  }
  std::unordered_map<const TensorImpl<T>*, Pending> pending_;
};

template <class T>
void run(const std::vector<BasicTensor<T>>& outputs, const std::vector<BasicTensor<T>>& seeds, Targets<T>& targets,
         bool retain_graph, bool create_graph, const char* caller) {
  const std::string op(caller);
  if (seeds.size() != outputs.size())
    throw Error(op + ": " + std::to_string(outputs.size()) + " outputs but " + std::to_string(seeds.size()) +
                " gradients for them");
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (!outputs[i].defined()) throw Error(op + ": output " + std::to_string(i) + " is an undefined tensor");
    if (!outputs[i].requires_grad())
      throw Error(op + ": output " + std::to_string(i) +
                  " does not require grad (nothing it was computed from requires grad)");
    if (!seeds[i].defined() || seeds[i].value().shape() != outputs[i].value().shape())
      throw Error(op + ": the gradient for output " + std::to_string(i) + " has shape " +
                  (seeds[i].defined() ? shape_str(seeds[i].value().shape()) : std::string("undefined")) +
                  " but the output has shape " + shape_str(outputs[i].value().shape()));
  }

  std::vector<Node<T>*> nodes = reachable_nodes(outputs);
  // Creation order is a topological order: producers have smaller sequence numbers.
  std::sort(nodes.begin(), nodes.end(), [](Node<T>* a, Node<T>* b) { return a->sequence() < b->sequence(); });
  GradHookCalls<T> hooks;
  for (Node<T>* n : nodes) {
    n->needed = targets.all_leaves || targets.find(n);
    for (const auto& e : n->edges()) {
      n->needed = n->needed || (e.node && e.node->needed) || (e.leaf && targets.find(e.leaf.get()));
      if (targets.all_leaves) hooks.count(e);
    }
  }
  // Buffers must not outlive the sweep, even when a rule throws.
  struct ClearBuffers {
    std::vector<Node<T>*>& nodes;
    ~ClearBuffers() {
      for (Node<T>* n : nodes) n->grad_buffer = {};
    }
  } clear{nodes};

  auto deliver_to_leaf = [&](const std::shared_ptr<TensorImpl<T>>& leaf, const BasicTensor<T>& g) {
    if (targets.all_leaves) {
      accumulate(leaf->grad, g, create_graph);
      hooks.reached(*leaf);
    } else if (const std::size_t* i = targets.find(leaf.get()))
      accumulate(targets.grads[*i], g, create_graph);
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    if (Node<T>* n = outputs[i].grad_fn().get())
      accumulate(n->grad_buffer, seeds[i], create_graph);
    else
      deliver_to_leaf(detail::TensorAccess::impl_ptr(outputs[i]), seeds[i]);
  }

  GradModeGuard mode(create_graph);
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    Node<T>& n = **it;
    BasicTensor<T> grad = std::move(n.grad_buffer);
    n.grad_buffer = {};
    if (!n.needed || !grad.defined()) {
      hooks.done(n);
      continue;
    }
    if (const std::size_t* i = targets.find(&n)) accumulate(targets.grads[*i], grad, create_graph);
    Grads<T> grads = n.apply(grad);
    if (!retain_graph) n.release_saved();
    for (std::size_t k = 0; k < grads.size(); ++k) {
      const Edge<T>& e = n.edges()[k];
      BasicTensor<T> g = std::move(grads[k]);
      if (!e.needs_grad() || !g.defined()) continue;
      if (e.node) {
        if (e.node->needed) accumulate(e.node->grad_buffer, g, create_graph);
      } else {
        deliver_to_leaf(e.leaf, g);
      }
    }
    hooks.done(n);
  }
  for (const auto& out : outputs)
    if (!out.grad_fn()) hooks.done(detail::TensorAccess::impl_ptr(out));
}

template <class T>
std::vector<BasicTensor<T>> default_seeds(const std::vector<BasicTensor<T>>& outputs, const char* caller) {
  std::vector<BasicTensor<T>> seeds;
  for (const auto& out : outputs) {
    if (out.defined() && out.size() != 1)
      throw Error(std::string(caller) + ": the output has shape " + shape_str(out.value().shape()) +
                  "; without an explicit gradient it must have exactly one element");
    seeds.push_back(out.defined() ? make_tensor<T>(detail::evaluate<T>(xt::ones<T>(out.value().shape()))) : BasicTensor<T>());
  }
  return seeds;
}

}  // namespace

template <class T>
void backward(const std::vector<BasicTensor<T>>& outputs, const std::vector<BasicTensor<T>>& seeds,
              const BackwardOptions& options) {
  Targets<T> targets;
  run(outputs, seeds.empty() ? default_seeds(outputs, "backward") : seeds, targets, options.retain_graph,
      options.create_graph, "backward");
}

template <class T>
std::vector<BasicTensor<T>> grad(const std::vector<BasicTensor<T>>& outputs, const std::vector<BasicTensor<T>>& inputs,
                                 const std::vector<BasicTensor<T>>& grad_outputs, const GradOptions& options) {
  Targets<T> targets;
  targets.all_leaves = false;
  targets.grads.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& x = inputs[i];
    if (!x.defined() || !x.requires_grad())
      throw Error("grad: input " + std::to_string(i) + " does not require grad");
    const void* key = x.grad_fn() ? static_cast<const void*>(x.grad_fn().get()) : x.identity();
    if (!targets.index.emplace(key, i).second)
      throw Error("grad: input " + std::to_string(i) + " appears twice in the inputs");
  }
  run(outputs, grad_outputs.empty() ? default_seeds(outputs, "grad") : grad_outputs, targets,
      options.retain_graph.value_or(options.create_graph), options.create_graph, "grad");
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!targets.grads[i].defined() && !options.allow_unused)
      throw Error("grad: input " + std::to_string(i) +
                  " was not used to compute the outputs; pass allow_unused = true to get an undefined gradient");
  return std::move(targets.grads);
}

template void backward(const std::vector<Tensor>&, const std::vector<Tensor>&, const BackwardOptions&);
template void backward(const std::vector<TensorD>&, const std::vector<TensorD>&, const BackwardOptions&);
template std::vector<Tensor> grad(const std::vector<Tensor>&, const std::vector<Tensor>&, const std::vector<Tensor>&,
                                  const GradOptions&);
template std::vector<TensorD> grad(const std::vector<TensorD>&, const std::vector<TensorD>&,
                                   const std::vector<TensorD>&, const GradOptions&);

}  // namespace tg
