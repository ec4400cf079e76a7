// A module's state dict: copies of its parameters and buffers by dotted name, and loading them
// back, all checked before anything changes.
#include <set>

#include "autograd/grad_mode.hpp"
#include "nn/module.hpp"

namespace tg::nn {
namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& name : names) s += (s.empty() ? "'" : ", '") + name + "'";
  return s;
}

}  // namespace

template <class T>
BasicStateDict<T> BasicModule<T>::state_dict() const {
  StateDict state;
  std::set<const void*> seen;
  for (const auto& [module, prefix] : walk())
    for (const auto* slots : {&module->parameters_, &module->buffers_})
      for (const Slot& slot : *slots) {
        const Tensor& tensor = module->tensor_in(slot);
        if (seen.insert(tensor.identity()).second) state.insert(prefix + slot.name, tensor.value());
      }
  return state;
}

template <class T>
void BasicModule<T>::load_state_dict(const StateDict& state, bool strict) {
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

template BasicStateDict<float> BasicModule<float>::state_dict() const;
template BasicStateDict<double> BasicModule<double>::state_dict() const;
template void BasicModule<float>::load_state_dict(const StateDict&, bool);
template void BasicModule<double>::load_state_dict(const StateDict&, bool);

}  // namespace tg::nn
