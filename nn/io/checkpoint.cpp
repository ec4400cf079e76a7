#include "nn/io/checkpoint.hpp"

#include <cxxabi.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <typeinfo>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/default_generator.hpp"
#include "nn/io/safetensors.hpp"
#include "optim/optimizer.hpp"

namespace tg::nn {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* weights_format = "tapegrad.weights.v1";
constexpr const char* checkpoint_format = "tapegrad.checkpoint.v1";
constexpr std::string_view optimizer_prefix = "optimizer.state.";

// The file being read or written, for errors: "load_checkpoint: run.safetensors: ...".
struct Source {
  const char* op;
  const std::string& path;
  [[noreturn]] void fail(const std::string& what) const { throw Error(std::string(op) + ": " + path + ": " + what); }
};

// "tg::optim::Adam": another optimizer's buffers would be misread without a word, so it is checked.
std::string type_name(const optim::Optimizer& optimizer) {
  const char* mangled = typeid(optimizer).name();
  int status = 0;
  const std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                                         std::free);
  return status == 0 && demangled ? demangled.get() : mangled;
}

// The model ("") and every module below it, by dotted name; M is Module or const Module.
template <class M>
std::vector<std::pair<std::string, M*>> all_modules(M& model) {
  std::vector<std::pair<std::string, M*>> out{{"", &model}};
  for (const auto& [name, module] : model.named_modules()) out.emplace_back(name, module.get());
  return out;
}

// (name, type) of each module: what must match for a training state to fit a model.
Json module_tree(const Module& model) {
  Json tree = Json::array();
  for (const auto& [name, module] : all_modules(model)) tree.push_back(Json::array({name, module->name()}));
  return tree;
}

// The modules' extra_state() that are not empty, by dotted name.
std::map<std::string, std::string> extra_states(const Module& model) {
  std::map<std::string, std::string> states;
  for (const auto& [name, module] : all_modules(model))
    if (std::string state = module->extra_state(); !state.empty()) states.emplace(name, std::move(state));
  return states;
}

void set_extra_states(Module& model, const std::map<std::string, std::string>& states) {
  for (const auto& [name, module] : all_modules(model))
    if (const auto it = states.find(name); it != states.end()) module->set_extra_state(it->second);
}

// Each epoch's logs as a JSON object; a NaN becomes null.
Json history_json(const History& history) {
  Json epochs = Json::array();
  for (std::size_t e = 0; e < history.epochs(); ++e) {
    Json logs = Json::object();
    for (const auto& [key, value] : history.epoch(e).entries()) logs[key] = value;
    epochs.push_back(std::move(logs));
  }
  return epochs;
}

Safetensors weights_file(const Module& model, const char* format) {
  Safetensors file;
  for (const auto& [name, value] : model.state_dict()) file.insert(name, value);
  file.metadata["format"] = format;
  file.metadata["architecture"] = model.summary();
  file.metadata["modules"] = module_tree(model).dump();
  return file;
}

// The model's tensors in `file`: all but the optimizer's when it is a checkpoint.
StateDict model_tensors(const Safetensors& file, bool checkpoint, const Source& source) {
  StateDict state;
  for (const auto& [name, array] : file) {
    if (checkpoint && name.starts_with(optimizer_prefix)) continue;
    const auto* values = std::get_if<xt::xarray<float>>(&array);
    if (!values) source.fail("tensor '" + name + "' is " + dtype_name(array) + ", but the model's tensors are F32");
    state.insert(name, *values);
  }
  return state;
}

// Everything a checkpoint restores, read and checked before anything is changed.
struct TrainingState {
  StateDict weights;
  optim::OptimizerState optimizer;
  std::map<std::string, std::string> extra_states;
  Generator generator;
  CheckpointInfo info;
};

class CheckpointReader {
 public:
  CheckpointReader(const Safetensors& file, const Source& source) : file_(file), source_(source) {}

  TrainingState read(const Module& model, const optim::Optimizer& optimizer) const;

 private:
  const std::string& metadata(const std::string& key) const;
  Json json_metadata(const std::string& key) const;
  void check_format() const;
  void check_module_tree(const Module& model) const;
  optim::OptimizerState read_optimizer(const optim::Optimizer& optimizer) const;
  std::map<std::string, std::string> read_extra_states(const Module& model) const;
  std::size_t read_epoch() const;
  History read_history() const;

  const Safetensors& file_;
  const Source& source_;
};

const std::string& CheckpointReader::metadata(const std::string& key) const {
  const auto it = file_.metadata.find(key);
  if (it == file_.metadata.end()) source_.fail("the metadata has no '" + key + "'");
  return it->second;
}

Json CheckpointReader::json_metadata(const std::string& key) const {
  try {
    return Json::parse(metadata(key));
  } catch (const Json::exception& e) {
    source_.fail("the metadata '" + key + "' is not valid JSON: " + e.what());
  }
}

void CheckpointReader::check_format() const {
  const auto it = file_.metadata.find("format");
  const std::string format = it == file_.metadata.end() ? "" : it->second;
  if (format == checkpoint_format) return;
  if (format == weights_format) source_.fail("holds weights only (from save_weights): load it with load_weights");
  source_.fail(std::string("is not a tapegrad checkpoint (its metadata has no 'format': '") + checkpoint_format + "')");
}

void CheckpointReader::check_module_tree(const Module& model) const {
  const Json saved = json_metadata("modules"), now = module_tree(model);
  auto is_pair = [](const Json& e) { return e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string(); };
  if (!saved.is_array() || !std::all_of(saved.begin(), saved.end(), is_pair))
    source_.fail("the metadata 'modules' is not a list of (name, type) pairs");
  auto module = [](const Json& entry) {
    const auto name = entry[0].get<std::string>(), type = entry[1].get<std::string>();
    return (name.empty() ? "the model" : "'" + name + "'") + " (" + type + ")";
  };
  for (std::size_t i = 0; i < std::min(saved.size(), now.size()); ++i)
    if (saved[i] != now[i])
      source_.fail("the model differs from the one saved: the checkpoint has " + module(saved[i]) +
                   " where the model has " + module(now[i]));
  if (saved.size() != now.size())
    source_.fail("the model differs from the one saved: the checkpoint has " + std::to_string(saved.size()) +
                 " modules, the model " + std::to_string(now.size()));
}

// An index written by std::to_string: digits only.
bool parse_index(std::string_view text, std::size_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

optim::OptimizerState CheckpointReader::read_optimizer(const optim::Optimizer& optimizer) const {
  const Json saved = json_metadata("optimizer");
  if (!saved.is_object() || !saved.contains("type") || !saved["type"].is_string() || !saved.contains("lrs") ||
      !saved["lrs"].is_array())
    source_.fail("the metadata 'optimizer' is not an object with 'type' and 'lrs'");
  const auto type = saved["type"].get<std::string>();
  if (type != type_name(optimizer))
    source_.fail("the checkpoint holds the state of a " + type + ", not of a " + type_name(optimizer));
  optim::OptimizerState state;
  for (const Json& lr : saved["lrs"]) {
    if (!lr.is_number()) source_.fail("the metadata 'optimizer' has a learning rate that is not a number");
    state.lrs.push_back(lr.get<double>());
  }

  std::set<std::size_t> stepped;
  for (const auto& [name, array] : file_) {
    if (!name.starts_with(optimizer_prefix)) continue;
    const std::string_view rest = std::string_view(name).substr(optimizer_prefix.size());
    const std::size_t dot = rest.find('.');
    std::size_t position = 0;
    if (dot == std::string_view::npos || dot + 1 == rest.size() || !parse_index(rest.substr(0, dot), position))
      source_.fail("tensor '" + name + "' is not named optimizer.state.<position>.<buffer>");
    const std::string buffer(rest.substr(dot + 1));
    optim::ParamState& param = state.params[position];
    if (buffer == "step") {
      const auto* step = std::get_if<xt::xarray<std::int64_t>>(&array);
      if (!step || step->dimension() != 0) source_.fail("tensor '" + name + "' is not an I64 scalar step count");
      param.step = (*step)();
      stepped.insert(position);
    } else {
      const auto* values = std::get_if<xt::xarray<float>>(&array);
      if (!values) source_.fail("tensor '" + name + "' is " + dtype_name(array) + ", but optimizer buffers are F32");
      param.buffers.emplace(buffer, *values);
    }
  }
  for (const auto& [position, param] : state.params)
    if (!stepped.count(position))
      source_.fail("the optimizer state of parameter " + std::to_string(position) + " has no step count");
  return state;
}

std::map<std::string, std::string> CheckpointReader::read_extra_states(const Module& model) const {
  const Json saved = json_metadata("extra_states");
  if (!saved.is_object()) source_.fail("the metadata 'extra_states' is not a JSON object");
  std::map<std::string, std::string> states;
  for (const auto& [name, state] : saved.items()) {
    if (!state.is_string()) source_.fail("the metadata 'extra_states' holds a value that is not a string");
    states.emplace(name, state.get<std::string>());
  }
  const auto expected = extra_states(model);
  for (const auto& [name, state] : expected)
    if (!states.count(name)) source_.fail("no extra state for module '" + name + "'");
  for (const auto& [name, state] : states)
    if (!expected.count(name)) source_.fail("extra state for module '" + name + "', which has none in the model");
  return states;
}

std::size_t CheckpointReader::read_epoch() const {
  std::size_t epoch = 0;
  if (!parse_index(metadata("epoch"), epoch))
    source_.fail("the metadata 'epoch' is not a count: '" + metadata("epoch") + "'");
  return epoch;
}

History CheckpointReader::read_history() const {
  History history;
  if (!file_.metadata.count("history")) return history;
  const Json saved = json_metadata("history");
  if (!saved.is_array()) source_.fail("the metadata 'history' is not a list of epochs");
  for (const Json& epoch : saved) {
    if (!epoch.is_object()) source_.fail("the metadata 'history' has an epoch that is not an object");
    Logs logs;
    for (const auto& [key, value] : epoch.items()) {
      if (!value.is_number() && !value.is_null())
        source_.fail("the metadata 'history' has a value of '" + key + "' that is not a number");
      logs.set(key, value.is_null() ? std::nan("") : value.get<double>());
    }
    history.append(logs);
  }
  return history;
}

TrainingState CheckpointReader::read(const Module& model, const optim::Optimizer& optimizer) const {
  check_format();
  check_module_tree(model);
  TrainingState state;
  state.weights = model_tensors(file_, true, source_);
  state.optimizer = read_optimizer(optimizer);
  state.extra_states = read_extra_states(model);
  try {
    state.generator.set_state(metadata("rng"));
  } catch (const Error&) {
    source_.fail("the metadata 'rng' is not a generator state");
  }
  state.info.epoch = read_epoch();
  state.info.history = read_history();
  state.info.architecture = metadata("architecture");
  return state;
}

// Each step checks before it changes anything; when a later one fails, the earlier are undone.
void restore(TrainingState& state, Module& model, optim::Optimizer& optimizer) {
  const StateDict old_weights = model.state_dict();
  const optim::OptimizerState old_optimizer = optimizer.state();
  const auto old_extra_states = extra_states(model);
  model.load_state_dict(state.weights);
  try {
    optimizer.load_state(state.optimizer);
    set_extra_states(model, state.extra_states);
  } catch (...) {
    // The old values came from these very objects, so putting them back cannot fail.
    model.load_state_dict(old_weights);
    optimizer.load_state(old_optimizer);
    set_extra_states(model, old_extra_states);
    throw;
  }
  default_generator() = state.generator;
}

}  // namespace

void save_weights(const std::string& path, const Module& model) {
  const Source source{"save_weights", path};
  Safetensors file;
  try {
    file = weights_file(model, weights_format);
  } catch (const Error& e) {
    source.fail(e.what());
  }
  write_safetensors(path, file, source.op);
}

void load_weights(const std::string& path, Module& model) {
  const Source source{"load_weights", path};
  const Safetensors file = read_safetensors(path, source.op);
  const auto format = file.metadata.find("format");
  const bool checkpoint = format != file.metadata.end() && format->second == checkpoint_format;
  const StateDict state = model_tensors(file, checkpoint, source);
  try {
    model.load_state_dict(state);
  } catch (const Error& e) {
    source.fail(e.what());
  }
}

void save_checkpoint(const std::string& path, const Module& model, const optim::Optimizer& optimizer,
                     const CheckpointOptions& options) {
  const Source source{"save_checkpoint", path};
  Safetensors file;
  try {
    file = weights_file(model, checkpoint_format);
    const optim::OptimizerState state = optimizer.state();
    for (const auto& [position, param] : state.params) {
      const std::string prefix = std::string(optimizer_prefix) + std::to_string(position) + ".";
      file.insert(prefix + "step", xt::xarray<std::int64_t>(param.step));
      for (const auto& [name, buffer] : param.buffers) file.insert(prefix + name, buffer);
    }
    file.metadata["optimizer"] = Json{{"type", type_name(optimizer)}, {"lrs", state.lrs}}.dump();
    file.metadata["epoch"] = std::to_string(options.epoch);
    file.metadata["rng"] = default_generator().state();
    file.metadata["extra_states"] = Json(extra_states(model)).dump();
    if (options.history) file.metadata["history"] = history_json(*options.history).dump();
  } catch (const Error& e) {
    source.fail(e.what());
  }
  write_safetensors(path, file, source.op);
}

CheckpointInfo load_checkpoint(const std::string& path, Module& model, optim::Optimizer& optimizer) {
  const Source source{"load_checkpoint", path};
  const Safetensors file = read_safetensors(path, source.op);
  TrainingState state = CheckpointReader(file, source).read(model, optimizer);
  try {
    restore(state, model, optimizer);
  } catch (const Error& e) {
    source.fail(e.what());
  }
  return std::move(state.info);
}

Checkpoint::Checkpoint(std::string path, History history) : path_(std::move(path)), history_(std::move(history)) {}

std::string Checkpoint::path(std::size_t epoch) const {
  std::string path = path_;
  constexpr std::string_view placeholder = "{epoch}";
  for (auto at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder, at))
    path.replace(at, placeholder.size(), std::to_string(epoch));
  return path;
}

void Checkpoint::on_epoch_end(TrainState& state, const Logs& logs) {
  history_.append(logs);
  const std::size_t completed = state.epoch + 1;
  save_checkpoint(path(completed), state.model, state.optimizer, {.epoch = completed, .history = &history_});
}

}  // namespace tg::nn
