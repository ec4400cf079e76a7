#include "nn/io/model_file.hpp"

#include <nlohmann/json.hpp>

namespace tg::nn::detail {

void Source::fail(const std::string& what) const { throw Error(std::string(op) + ": " + path + ": " + what); }

template <class T>
std::vector<std::pair<std::string, std::string>> module_tree(const BasicModule<T>& model) {
  std::vector<std::pair<std::string, std::string>> tree;
  for (const auto& [name, module] : all_modules(model)) tree.emplace_back(name, module->name());
  return tree;
}

template <class T>
std::map<std::string, std::string> extra_states(const BasicModule<T>& model) {
  std::map<std::string, std::string> states;
  for (const auto& [name, module] : all_modules(model))
    if (std::string state = module->extra_state(); !state.empty()) states.emplace(name, std::move(state));
  return states;
}

template <class T>
void set_extra_states(BasicModule<T>& model, const std::map<std::string, std::string>& states) {
  for (const auto& [name, module] : all_modules(model))
    if (const auto it = states.find(name); it != states.end()) module->set_extra_state(it->second);
}

template <class T>
Safetensors weights_file(const BasicModule<T>& model, const char* format) {
  Safetensors file;
  for (const auto& [name, value] : model.state_dict()) file.insert(name, value);
  file.metadata["format"] = format;
  file.metadata["architecture"] = model.summary();
  nlohmann::ordered_json tree = nlohmann::ordered_json::array();
  for (const auto& [name, type] : module_tree(model)) tree.push_back({name, type});
  file.metadata["modules"] = tree.dump();
  return file;
}

template <class T>
BasicStateDict<T> model_tensors(const Safetensors& file, bool checkpoint, const Source& source) {
  BasicStateDict<T> state;
  for (const auto& [name, array] : file) {
    if (checkpoint && name.starts_with(optimizer_prefix)) continue;
    const auto* values = std::get_if<xt::xarray<T>>(&array);
    if (!values)
      source.fail("tensor '" + name + "' is " + dtype_name(array) + ", but the model's tensors are " + dtype_of<T>());
    state.insert(name, *values);
  }
  return state;
}

#define TG_INSTANTIATE(T)                                                                                     \
  template std::vector<std::pair<std::string, std::string>> module_tree(const BasicModule<T>&);              \
  template std::map<std::string, std::string> extra_states(const BasicModule<T>&);                            \
  template void set_extra_states(BasicModule<T>&, const std::map<std::string, std::string>&);                 \
  template Safetensors weights_file(const BasicModule<T>&, const char*);                                      \
  template BasicStateDict<T> model_tensors(const Safetensors&, bool, const Source&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg::nn::detail
