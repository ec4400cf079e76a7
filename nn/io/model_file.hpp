#pragma once
// What weights files and checkpoints share: their format names, the error context, and how a
// model's tensors, module tree and extra states are written and read back. Internal to nn/io.
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "nn/io/safetensors.hpp"
#include "nn/module.hpp"

namespace tg::nn::detail {

inline constexpr const char* weights_format = "tapegrad.weights.v1";
inline constexpr const char* checkpoint_format = "tapegrad.checkpoint.v1";
inline constexpr std::string_view optimizer_prefix = "optimizer.state.";

// The file being read or written, for errors: "load_checkpoint: run.safetensors: ...".
struct Source {
  const char* op;
  const std::string& path;
  [[noreturn]] void fail(const std::string& what) const;
};

// "F32" or "F64": the dtype a module of element type T stores.
template <class T>
constexpr const char* dtype_of() {
  return std::is_same_v<T, float> ? "F32" : "F64";
}

// The model ("") and every module below it, by dotted name; M is BasicModule<T> or const BasicModule<T>.
template <class M>
std::vector<std::pair<std::string, M*>> all_modules(M& model) {
  std::vector<std::pair<std::string, M*>> out{{"", &model}};
  for (const auto& [name, module] : model.named_modules()) out.emplace_back(name, module.get());
  return out;
}

// (name, type) of each module: what must match for a training state to fit a model.
template <class T>
std::vector<std::pair<std::string, std::string>> module_tree(const BasicModule<T>& model);

// The modules' extra_state() that are not empty, by dotted name.
template <class T>
std::map<std::string, std::string> extra_states(const BasicModule<T>& model);
template <class T>
void set_extra_states(BasicModule<T>& model, const std::map<std::string, std::string>& states);

// The model's tensors under their state_dict names, with the format, summary and module tree as metadata.
template <class T>
Safetensors weights_file(const BasicModule<T>& model, const char* format);
// The model's tensors in `file`: all but the optimizer's when it is a checkpoint. A tensor of
// another dtype than the model's is an error.
template <class T>
BasicStateDict<T> model_tensors(const Safetensors& file, bool checkpoint, const Source& source);

}  // namespace tg::nn::detail
