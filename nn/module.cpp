#include "nn/module.hpp"

#include <algorithm>
#include <set>

#include "nn/type_name.hpp"

namespace tg::nn {
namespace {

template <class T>
std::vector<BasicTensor<T>> handles(const std::vector<std::pair<std::string, BasicTensor<T>>>& named) {
  std::vector<BasicTensor<T>> out;
  out.reserve(named.size());
  for (const auto& [name, tensor] : named) out.push_back(tensor);
  return out;
}

}  // namespace

template <class T>
std::string BasicModule<T>::name() const {
  return short_type_name(typeid(*this));
}

template <class T>
void BasicModule<T>::set_extra_state(const std::string&) {
  throw Error("set_extra_state: " + describe() + " has no extra state");
}

template <class T>
const BasicTensor<T>& BasicModule<T>::tensor_in(const Slot& slot) const {
  return slot.field ? this->*slot.field : slot.kept;
}

template <class T>
BasicTensor<T>& BasicModule<T>::tensor_in(Slot& slot) {
  return slot.field ? this->*slot.field : slot.kept;
}

template <class T>
void BasicModule<T>::check_new_name(const std::string& name, const char* what) const {
  if (name.empty()) throw Error(std::string(what) + ": the name is empty");
  if (name.find('.') != std::string::npos)
    throw Error(std::string(what) + ": the name '" + name + "' contains '.', which separates nested names");
  auto taken = [&name](const auto& slots) {
    return std::any_of(slots.begin(), slots.end(), [&name](const Slot& slot) { return slot.name == name; });
  };
  const bool child = std::any_of(children_.begin(), children_.end(), [&name](const auto& c) { return c.first == name; });
  if (taken(parameters_) || taken(buffers_) || child)
    throw Error(std::string(what) + ": the name '" + name + "' is already registered in " + describe());
}

template <class T>
void BasicModule<T>::check_parameter(const std::string& name, Tensor& tensor, bool requires_grad) const {
  if (!tensor.defined()) throw Error("register_parameter: the tensor for '" + name + "' is undefined");
  if (!tensor.is_leaf())
    throw Error("register_parameter: '" + name + "' was computed by an operation; a parameter must be a leaf (use detach())");
  tensor.set_requires_grad(requires_grad);
}

template <class T>
BasicTensor<T> BasicModule<T>::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
  check_new_name(name, "register_parameter");
  check_parameter(name, tensor, requires_grad);
  parameters_.push_back({std::move(name), tensor});
  return tensor;
}

template <class T>
void BasicModule<T>::add_parameter(std::string name, Tensor BasicModule::*field, bool requires_grad) {
  check_new_name(name, "register_parameter");
  check_parameter(name, this->*field, requires_grad);
  parameters_.push_back({std::move(name), {}, field});
}

template <class T>
BasicTensor<T> BasicModule<T>::register_buffer(std::string name, Tensor tensor) {
  check_new_name(name, "register_buffer");
  if (!tensor.defined()) throw Error("register_buffer: the tensor for '" + name + "' is undefined");
  buffers_.push_back({std::move(name), tensor});
  return tensor;
}

template <class T>
void BasicModule<T>::add_buffer(std::string name, Tensor BasicModule::*field) {
  check_new_name(name, "register_buffer");
  if (!(this->*field).defined()) throw Error("register_buffer: the tensor for '" + name + "' is undefined");
  buffers_.push_back({std::move(name), {}, field});
}

template <class T>
void BasicModule<T>::add_child(std::string name, std::shared_ptr<BasicModule> module) {
  check_new_name(name, "register_module");
  if (!module) throw Error("register_module: the module for '" + name + "' is null");
  children_.emplace_back(std::move(name), std::move(module));
}

template <class T>
std::vector<std::pair<const BasicModule<T>*, std::string>> BasicModule<T>::walk() const {
  std::vector<std::pair<const BasicModule*, std::string>> out{{this, ""}};
  for (const auto& [name, module] : named_modules()) out.emplace_back(module.get(), name + ".");
  return out;
}

template <class T>
auto BasicModule<T>::named_tensors(std::vector<Slot> BasicModule::*slots, bool recurse) const
    -> std::vector<NamedTensor> {
  std::vector<NamedTensor> out;
  std::set<const void*> seen;
  const auto modules = recurse ? walk() : std::vector<std::pair<const BasicModule*, std::string>>{{this, ""}};
  for (const auto& [module, prefix] : modules)
    for (const Slot& slot : module->*slots) {
      const Tensor& tensor = module->tensor_in(slot);
      if (seen.insert(tensor.identity()).second) out.emplace_back(prefix + slot.name, tensor);
    }
  return out;
}

template <class T>
auto BasicModule<T>::named_parameters(bool recurse) const -> std::vector<NamedTensor> {
  return named_tensors(&BasicModule::parameters_, recurse);
}

template <class T>
std::vector<BasicTensor<T>> BasicModule<T>::parameters(bool recurse) const {
  return handles(named_parameters(recurse));
}

template <class T>
auto BasicModule<T>::named_buffers(bool recurse) const -> std::vector<NamedTensor> {
  return named_tensors(&BasicModule::buffers_, recurse);
}

template <class T>
std::vector<BasicTensor<T>> BasicModule<T>::buffers(bool recurse) const {
  return handles(named_buffers(recurse));
}

template <class T>
std::vector<std::shared_ptr<BasicModule<T>>> BasicModule<T>::children() const {
  std::vector<std::shared_ptr<BasicModule>> out;
  for (const auto& [name, child] : children_) out.push_back(child);
  return out;
}

template <class T>
auto BasicModule<T>::named_modules() const -> std::vector<NamedModule> {
  std::vector<NamedModule> out;
  std::set<const BasicModule*> seen{this};
  // Depth first through an explicit stack, children in registration order.
  std::vector<std::pair<std::string, std::shared_ptr<BasicModule>>> stack(children_.rbegin(), children_.rend());
  while (!stack.empty()) {
    auto [name, module] = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(module.get()).second) continue;
    for (auto it = module->children_.rbegin(); it != module->children_.rend(); ++it)
      stack.emplace_back(name + "." + it->first, it->second);
    out.emplace_back(std::move(name), std::move(module));
  }
  return out;
}

template <class T>
BasicTensor<T>& BasicModule<T>::tensor(const std::string& name) {
  const auto dot = name.rfind('.');
  BasicModule* owner = this;
  if (dot != std::string::npos) {
    const std::string path = name.substr(0, dot);
    owner = nullptr;
    for (const auto& [module_name, module] : named_modules())
      if (module_name == path) owner = module.get();
  }
  const std::string own = dot == std::string::npos ? name : name.substr(dot + 1);
  if (owner)
    for (auto* slots : {&owner->parameters_, &owner->buffers_})
      for (Slot& slot : *slots)
        if (slot.name == own) return owner->tensor_in(slot);
  throw Error("tensor (" + describe() + "): no parameter or buffer named '" + name + "'");
}

template <class T>
void BasicModule<T>::set_requires_grad(bool requires_grad) {
  for (auto& p : parameters()) p.set_requires_grad(requires_grad);
}

template <class T>
void BasicModule<T>::train(bool training) {
  training_ = training;
  for (const auto& [name, child] : children_) child->train(training);
}

template <class T>
void BasicModule<T>::zero_grad(bool set_to_none) {
  for (auto& p : parameters()) {
    if (set_to_none) p.clear_grad();
    else p.zero_grad();
  }
}

template <class T>
std::size_t BasicModule<T>::parameter_count() const {
  std::size_t n = 0;
  for (const auto& p : parameters()) n += p.size();
  return n;
}

template <class T>
std::size_t BasicModule<T>::trainable_parameter_count() const {
  std::size_t n = 0;
  for (const auto& p : parameters())
    if (p.requires_grad()) n += p.size();
  return n;
}

template class BasicModule<float>;
template class BasicModule<double>;

}  // namespace tg::nn
