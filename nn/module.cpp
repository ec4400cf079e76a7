#include "nn/module.hpp"

#include <algorithm>
#include <set>

#include "autograd/grad_mode.hpp"
#include "ops/shape.hpp"

namespace tg::nn {
namespace {

std::vector<Tensor> handles(const std::vector<Module::NamedTensor>& named) {
  std::vector<Tensor> out;
  out.reserve(named.size());
  for (const auto& [name, tensor] : named) out.push_back(tensor);
  return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& name : names) s += (s.empty() ? "'" : ", '") + name + "'";
  return s;
}

}  // namespace

namespace detail {
std::map<const Module*, Shape>*& output_shape_probe() {
  thread_local std::map<const Module*, Shape>* probe = nullptr;
  return probe;
}
}  // namespace detail

Tensor Module::operator()(const Tensor& input) {
  Tensor output = forward(input);
  if (auto* probe = detail::output_shape_probe()) (*probe)[this] = output.shape();
  return output;
}

Tensor Module::predict(const Tensor& x, std::size_t batch_size) {
  if (batch_size == 0) throw Error("predict (" + describe() + "): batch_size must be positive");
  if (x.dim() == 0) throw Error("predict (" + describe() + "): the input is a scalar; it needs a batch axis");
  struct ModeRestorer {
    Module& model;
    bool training;
    ~ModeRestorer() { model.train(training); }
  } restore{*this, is_training()};
  eval();
  NoGradGuard no_grad;
  const std::size_t n = x.shape()[0];
  if (n <= batch_size) return (*this)(x).detach();
  std::vector<Tensor> outputs;
  for (std::size_t begin = 0; begin < n; begin += batch_size) {
    const auto end = static_cast<std::ptrdiff_t>(std::min(begin + batch_size, n));
    outputs.push_back((*this)(slice(x, {{static_cast<std::ptrdiff_t>(begin), end}})));
  }
  return concat(outputs, 0);
}

void Module::set_extra_state(const std::string&) {
  throw Error("set_extra_state: " + describe() + " has no extra state");
}

void Module::check_new_name(const std::string& name, const char* what) const {
  if (name.empty()) throw Error(std::string(what) + ": the name is empty");
  if (name.find('.') != std::string::npos)
    throw Error(std::string(what) + ": the name '" + name + "' contains '.', which separates nested names");
  auto taken = [&name](const auto& entries) {
    for (const auto& entry : entries)
      if (entry.first == name) return true;
    return false;
  };
  if (taken(parameters_) || taken(buffers_) || taken(children_))
    throw Error(std::string(what) + ": the name '" + name + "' is already registered in " + describe());
}

Tensor Module::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
  check_new_name(name, "register_parameter");
  if (!tensor.defined()) throw Error("register_parameter: the tensor for '" + name + "' is undefined");
  if (!tensor.is_leaf())
    throw Error("register_parameter: '" + name + "' was computed by an operation; a parameter must be a leaf (use detach())");
  tensor.set_requires_grad(requires_grad);
  parameters_.emplace_back(std::move(name), tensor);
  return tensor;
}

Tensor Module::register_buffer(std::string name, Tensor tensor) {
  check_new_name(name, "register_buffer");
  if (!tensor.defined()) throw Error("register_buffer: the tensor for '" + name + "' is undefined");
  buffers_.emplace_back(std::move(name), tensor);
  return tensor;
}

void Module::add_child(std::string name, std::shared_ptr<Module> module) {
  check_new_name(name, "register_module");
  if (!module) throw Error("register_module: the module for '" + name + "' is null");
  children_.emplace_back(std::move(name), std::move(module));
}

std::vector<std::pair<const Module*, std::string>> Module::walk() const {
  std::vector<std::pair<const Module*, std::string>> out{{this, ""}};
  for (const auto& [name, child] : children_)
    for (const auto& [module, prefix] : child->walk()) out.emplace_back(module, name + "." + prefix);
  return out;
}

std::vector<Module::NamedTensor> Module::named_parameters(bool recurse) const {
  if (!recurse) return parameters_;
  std::vector<NamedTensor> out;
  for (const auto& [module, prefix] : walk())
    for (const auto& [name, tensor] : module->parameters_) out.emplace_back(prefix + name, tensor);
  return out;
}

std::vector<Tensor> Module::parameters(bool recurse) const { return handles(named_parameters(recurse)); }

std::vector<Module::NamedTensor> Module::named_buffers(bool recurse) const {
  if (!recurse) return buffers_;
  std::vector<NamedTensor> out;
  for (const auto& [module, prefix] : walk())
    for (const auto& [name, tensor] : module->buffers_) out.emplace_back(prefix + name, tensor);
  return out;
}

std::vector<Tensor> Module::buffers(bool recurse) const { return handles(named_buffers(recurse)); }

std::vector<std::shared_ptr<Module>> Module::children() const {
  std::vector<std::shared_ptr<Module>> out;
  for (const auto& [name, child] : children_) out.push_back(child);
  return out;
}

std::vector<Module::NamedModule> Module::named_modules() const {
  std::vector<NamedModule> out;
  for (const auto& [name, child] : children_) {
    out.emplace_back(name, child);
    for (const auto& [below, module] : child->named_modules()) out.emplace_back(name + "." + below, module);
  }
  return out;
}

void Module::train(bool training) {
  training_ = training;
  for (const auto& [name, child] : children_) child->train(training);
}

void Module::zero_grad() {
  for (auto& p : parameters()) p.zero_grad();
}

StateDict Module::state_dict() const {
  StateDict state;
  for (const auto& [module, prefix] : walk()) {
    for (const auto& [name, tensor] : module->parameters_) state.insert(prefix + name, tensor.value());
    for (const auto& [name, tensor] : module->buffers_) state.insert(prefix + name, tensor.value());
  }
  return state;
}

void Module::load_state_dict(const StateDict& state, bool strict) {
  std::vector<NamedTensor> targets = named_parameters();
  for (auto& entry : named_buffers()) targets.push_back(std::move(entry));

  // Check everything before changing anything.
  std::vector<std::string> missing, unexpected, problems;
  std::set<std::string> known;
  for (const auto& [name, tensor] : targets) {
    known.insert(name);
    if (!state.contains(name)) {
      missing.push_back(name);
      continue;
    }
    const auto& value = state.at(name);
    if (to_shape(value.shape()) != tensor.shape())
      problems.push_back("'" + name + "' has shape " + shape_str(value.shape()) + " in the state dict but " +
                         shape_str(tensor.shape()) + " in the module");
  }
  for (const auto& [name, value] : state)
    if (!known.count(name)) unexpected.push_back(name);
  if (strict && !missing.empty()) problems.push_back("missing keys " + quoted_list(missing));
  if (strict && !unexpected.empty()) problems.push_back("unexpected keys " + quoted_list(unexpected));
  if (!problems.empty()) {
    std::string message = "load_state_dict (" + describe() + "): ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    throw Error(message);
  }

  NoGradGuard no_grad;
  for (auto& [name, tensor] : targets)
    if (state.contains(name)) tensor.mutable_value() = state.at(name);
}

std::size_t Module::parameter_count() const {
  std::size_t n = 0;
  for (const auto& p : parameters()) n += p.size();
  return n;
}

std::size_t Module::trainable_parameter_count() const {
  std::size_t n = 0;
  for (const auto& p : parameters())
    if (p.requires_grad()) n += p.size();
  return n;
}

}  // namespace tg::nn
