#include "autograd/record.hpp"

namespace tg {

template <class T>
void attach_node(BasicTensor<T>& out, const OpSpec<T>& op, typename Node<T>::Rule rule) {
  EdgeList<T> edges(op.inputs.size());
  std::size_t i = 0;
  for (const auto& t : op.inputs) {
    Edge<T>& e = edges[i++];
    if (!t.defined()) continue;
    e.shape.assign(t.value().shape().begin(), t.value().shape().end());
    if (!t.requires_grad()) continue;
    if (t.grad_fn())
      e.node = t.grad_fn();
    else
      e.leaf = detail::TensorAccess::impl_ptr(t);
  }
  std::vector<SavedTensor<T>, detail::PoolAllocator<SavedTensor<T>>> saved;
  saved.reserve(op.save.size());
  for (const auto& t : op.save) saved.push_back(SavedTensor<T>::input(t));
  auto node = std::allocate_shared<Node<T>>(detail::PoolAllocator<Node<T>>(), op.name, std::move(edges), std::move(saved),
                                           std::move(rule));
  TensorImpl<T>& impl = detail::TensorAccess::impl(out);
  if (op.save_output) node->save_output(impl.storage);
  impl.grad_fn = std::move(node);
  impl.requires_grad = true;
}

template void attach_node(BasicTensor<float>&, const OpSpec<float>&, Node<float>::Rule);
template void attach_node(BasicTensor<double>&, const OpSpec<double>&, Node<double>::Rule);

}  // namespace tg
