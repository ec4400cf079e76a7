#include "autograd/tensor.hpp"

#include "autograd/engine.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/node.hpp"

namespace tg {

template <class T>
BasicTensor<T> BasicTensor<T>::from(xt::xarray<T> values, bool requires_grad) {
  return make_tensor<T>(std::move(values), requires_grad);
}

template <class T>
TensorImpl<T>& BasicTensor<T>::checked(const char* what) const {
  if (!impl_) throw Error(std::string("Tensor::") + what + ": the tensor is undefined");
  return *impl_;
}

template <class T>
bool BasicTensor<T>::exclusive() const {
  return !impl_->requires_grad && impl_.use_count() == 1 && impl_->storage.use_count() == 1;
}

template <class T>
xt::xarray<T>& BasicTensor<T>::write() const {
  ++impl_->storage->version;
  return impl_->storage->value;
}

template <class T>
const xt::xarray<T>& BasicTensor<T>::value() const {
  return checked("value").storage->value;
}

template <class T>
Shape BasicTensor<T>::shape() const {
  return to_shape(value().shape());
}

template <class T>
std::size_t BasicTensor<T>::dim() const {
  return value().dimension();
}

template <class T>
std::size_t BasicTensor<T>::size() const {
  return value().size();
}

template <class T>
T BasicTensor<T>::item() const {
  const auto& v = value();
  if (v.size() != 1)
    throw Error("item: the tensor has shape " + shape_str(v.shape()) + "; only a one-element tensor has an item");
  return *v.data();
}

template <class T>
bool BasicTensor<T>::requires_grad() const {
  return checked("requires_grad").requires_grad;
}

template <class T>
BasicTensor<T>& BasicTensor<T>::set_requires_grad(bool requires_grad) {
  const auto& impl = checked("set_requires_grad");
  if (impl.grad_fn)
    throw Error("set_requires_grad: only a leaf tensor's flag can change; this one was computed by '" +
                std::string(impl.grad_fn->name()) + "' (use detach())");
  impl_->requires_grad = requires_grad;
  return *this;
}

template <class T>
bool BasicTensor<T>::is_leaf() const {
  return !checked("is_leaf").grad_fn;
}

template <class T>
const std::shared_ptr<Node<T>>& BasicTensor<T>::grad_fn() const {
  return checked("grad_fn").grad_fn;
}

template <class T>
BasicTensor<T> BasicTensor<T>::grad() const {
  return checked("grad").grad;
}

template <class T>
void BasicTensor<T>::set_grad(const BasicTensor& grad) {
  auto& impl = checked("set_grad");
  if (grad.defined() && grad.value().shape() != impl.storage->value.shape())
    throw Error("set_grad: the gradient has shape " + shape_str(grad.value().shape()) + " but the tensor has shape " +
                shape_str(impl.storage->value.shape()));
  impl.grad = grad;
}

template <class T>
void BasicTensor<T>::clear_grad() {
  checked("clear_grad").grad = BasicTensor();
}

template <class T>
void BasicTensor<T>::zero_grad() {
  auto& g = checked("zero_grad").grad;
  if (!g.defined()) return;
  if (g.exclusive())
    g.write().fill(T(0));
  else
    g = make_tensor<T>(xt::zeros<T>(g.value().shape()));
}

template <class T>
xt::xarray<T>& BasicTensor<T>::mutable_grad() {
  auto& g = checked("mutable_grad").grad;
  if (!g.defined()) throw Error("mutable_grad: the tensor has no gradient (no backward has reached it)");
  if (!g.exclusive()) g = make_tensor<T>(xt::xarray<T>(g.value()));
  return g.write();
}

template <class T>
BasicTensor<T> BasicTensor<T>::detach() const {
  auto impl = std::allocate_shared<TensorImpl<T>>(detail::PoolAllocator<TensorImpl<T>>());
  impl->storage = checked("detach").storage;
  return BasicTensor(std::move(impl));
}

template <class T>
void BasicTensor<T>::backward(const BackwardOptions& options) const {
  tg::backward<T>({*this}, {}, options);
}

template <class T>
void BasicTensor<T>::backward(const BasicTensor& seed, const BackwardOptions& options) const {
  tg::backward<T>({*this}, {seed}, options);
}

template <class T>
std::size_t BasicTensor<T>::register_post_accumulate_grad_hook(std::function<void(const BasicTensor&)> hook) {
  auto& impl = checked("register_post_accumulate_grad_hook");
  if (impl.grad_fn || !impl.requires_grad)
    throw Error("register_post_accumulate_grad_hook: only a leaf that requires grad accumulates a gradient");
  if (!impl.grad_hooks) impl.grad_hooks = std::make_unique<GradHooks<T>>();
  const std::size_t key = impl.grad_hooks->next_key++;
  impl.grad_hooks->hooks.emplace_back(key, std::move(hook));
  return key;
}

template <class T>
void BasicTensor<T>::remove_post_accumulate_grad_hook(std::size_t key) {
  auto& impl = checked("remove_post_accumulate_grad_hook");
  if (!impl.grad_hooks) return;
  std::erase_if(impl.grad_hooks->hooks, [key](const auto& entry) { return entry.first == key; });
  if (impl.grad_hooks->hooks.empty()) impl.grad_hooks.reset();
}

template <class T>
xt::xarray<T>& BasicTensor<T>::mutable_value() {
  auto& impl = checked("mutable_value");
  if (impl.requires_grad && !impl.grad_fn && GradMode::enabled())
    throw Error("mutable_value: a leaf tensor that requires grad can only be changed in place under NoGradGuard");
  return write();
}

template <class T>
std::uint64_t BasicTensor<T>::version() const {
  return checked("version").storage->version;
}

template class BasicTensor<float>;
template class BasicTensor<double>;

}  // namespace tg
