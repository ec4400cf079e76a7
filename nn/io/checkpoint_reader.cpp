// One file: one reader checks every part of a checkpoint against the others before anything changes.
#include "nn/io/checkpoint_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>
#include <vector>

#include "nn/io/parse_json.hpp"

#include "nn/type_name.hpp"

namespace tg::nn::detail {
namespace {

using Json = nlohmann::ordered_json;

// An index written by std::to_string: digits only.
bool parse_index(std::string_view text, std::size_t& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// Whether each parameter of the optimizer, by position over all groups, is a double tensor.
std::vector<bool> double_positions(const optim::Optimizer& optimizer) {
  std::vector<bool> out;
  for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g) {
    const bool is_double = optimizer.holds_double(g);
    const std::size_t n = is_double ? optimizer.params<double>(g).size() : optimizer.params<float>(g).size();
    out.insert(out.end(), n, is_double);
  }
  return out;
}

class CheckpointReader {
 public:
  CheckpointReader(const Safetensors& file, const Source& source) : file_(file), source_(source) {}

  const std::string& metadata(const std::string& key) const;
  Json json_metadata(const std::string& key) const;
  void check_format() const;
  void check_module_tree(const std::vector<std::pair<std::string, std::string>>& now) const;
  optim::OptimizerState read_optimizer(const optim::Optimizer& optimizer) const;
  std::map<std::string, std::string> read_extra_states(const std::map<std::string, std::string>& expected) const;
  std::optional<optim::SchedulerState> read_scheduler(const optim::LRScheduler* scheduler,
                                                      const optim::Optimizer& optimizer) const;
  std::size_t read_epoch() const;
  History read_history() const;

 private:
  const Safetensors& file_;
  const Source& source_;
};

const std::string& CheckpointReader::metadata(const std::string& key) const {
  const auto it = file_.metadata.find(key);
  if (it == file_.metadata.end()) source_.fail("the metadata has no '" + key + "'");
  return it->second;
}

Json CheckpointReader::json_metadata(const std::string& key) const {
  const std::string& text = metadata(key);
  try {
    return parse_json<Json>(text);
  } catch (const Error& e) {
    source_.fail("the metadata '" + key + "' " + e.what());
  }
}

void CheckpointReader::check_format() const {
  const auto it = file_.metadata.find("format");
  const std::string format = it == file_.metadata.end() ? "" : it->second;
  if (format == checkpoint_format) return;
  if (format == weights_format) source_.fail("holds weights only (from save_weights): load it with load_weights");
  source_.fail(std::string("is not a tapegrad checkpoint (its metadata has no 'format': '") + checkpoint_format + "')");
}

void CheckpointReader::check_module_tree(const std::vector<std::pair<std::string, std::string>>& now) const {
  const Json saved = json_metadata("modules");
  auto is_pair = [](const Json& e) { return e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string(); };
  if (!saved.is_array() || !std::all_of(saved.begin(), saved.end(), is_pair))
    source_.fail("the metadata 'modules' is not a list of (name, type) pairs");
  auto module = [](const std::string& name, const std::string& type) { return "'" + name + "' (" + type + ")"; };
  for (std::size_t i = 0; i < std::min(saved.size(), now.size()); ++i) {
    const auto name = saved[i][0].get<std::string>(), type = saved[i][1].get<std::string>();
    if (name.empty() && now[i].first.empty() && type != now[i].second)
      source_.fail("the model differs from the one saved: the checkpoint holds a " + type + ", the model is a " +
                   now[i].second);
    if (name != now[i].first || type != now[i].second)
      source_.fail("the model differs from the one saved: the checkpoint has " + module(name, type) +
                   " where the model has " + module(now[i].first, now[i].second));
  }
  if (saved.size() != now.size())
    source_.fail("the model differs from the one saved: the checkpoint has " + std::to_string(saved.size()) +
                 " modules, the model " + std::to_string(now.size()));
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

  // A position past the optimizer's parameters goes where its dtype says; load_state refuses it.
  const std::vector<bool> is_double = double_positions(optimizer);
  auto holds_double = [&](std::size_t position, const StoredArray& array) {
    return position < is_double.size() ? bool(is_double[position]) : std::holds_alternative<xt::xarray<double>>(array);
  };
  std::set<std::size_t> stepped;
  for (const auto& entry : file_) {
    // Plain references, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const std::string& name = entry.first;
    const StoredArray& array = entry.second;
    if (!name.starts_with(optimizer_prefix)) continue;
    const std::string_view rest = std::string_view(name).substr(optimizer_prefix.size());
    const std::size_t dot = rest.find('.');
    std::size_t position = 0;
    if (dot == std::string_view::npos || dot + 1 == rest.size() || !parse_index(rest.substr(0, dot), position))
      source_.fail("tensor '" + name + "' is not named optimizer.state.<position>.<buffer>");
    const std::string buffer(rest.substr(dot + 1));
    auto read = [&](auto& param, const char* dtype) {
      using Buffer = typename std::decay_t<decltype(param.buffers)>::mapped_type;
      if (buffer == "step") {
        const auto* step = std::get_if<xt::xarray<std::int64_t>>(&array);
        if (!step || step->dimension() != 0) source_.fail("tensor '" + name + "' is not an I64 scalar step count");
        param.step = (*step)();
        stepped.insert(position);
        return;
      }
      const auto* values = std::get_if<Buffer>(&array);
      if (!values)
        source_.fail("tensor '" + name + "' is " + dtype_name(array) + ", but the optimizer buffers of parameter " +
                     std::to_string(position) + " are " + dtype);
      param.buffers.emplace(buffer, *values);
    };
    if (holds_double(position, array)) read(state.double_params[position], "F64");
    else read(state.params[position], "F32");
  }
  auto check_steps = [&](const auto& params) {
    for (const auto& [position, param] : params)
      if (!stepped.count(position))
        source_.fail("the optimizer state of parameter " + std::to_string(position) + " has no step count");
  };
  check_steps(state.params);
  check_steps(state.double_params);
  return state;
}

std::map<std::string, std::string> CheckpointReader::read_extra_states(
    const std::map<std::string, std::string>& expected) const {
  const Json saved = json_metadata("extra_states");
  if (!saved.is_object()) source_.fail("the metadata 'extra_states' is not a JSON object");
  std::map<std::string, std::string> states;
  for (const auto& [name, state] : saved.items()) {
    if (!state.is_string()) source_.fail("the metadata 'extra_states' holds a value that is not a string");
    states.emplace(name, state.get<std::string>());
  }
  for (const auto& [name, state] : expected)
    if (!states.count(name)) source_.fail("no extra state for module '" + name + "'");
  for (const auto& [name, state] : states)
    if (!expected.count(name)) source_.fail("extra state for module '" + name + "', which has none in the model");
  return states;
}

std::optional<optim::SchedulerState> CheckpointReader::read_scheduler(const optim::LRScheduler* scheduler,
                                                                       const optim::Optimizer& optimizer) const {
  const bool saved = file_.metadata.count("scheduler") != 0;
  if (!saved && !scheduler) return std::nullopt;
  if (!saved)
    source_.fail("the checkpoint holds no learning-rate schedule, but a " + scheduler->name() +
                 " was given to continue");
  const Json json = json_metadata("scheduler");
  if (!json.is_object() || !json.contains("type") || !json["type"].is_string() || !json.contains("last_epoch") ||
      !json["last_epoch"].is_number_integer() || !json.contains("base_lrs") || !json["base_lrs"].is_array())
    source_.fail("the metadata 'scheduler' is not an object with 'type', 'last_epoch' and 'base_lrs'");
  const auto type = json["type"].get<std::string>();
  if (!scheduler)
    source_.fail("the checkpoint holds the state of a " + type +
                 " schedule: pass the schedule to load_checkpoint so that it continues where it stopped");
  if (type != scheduler->name())
    source_.fail("the checkpoint holds the state of a " + type + " schedule, not of a " + scheduler->name());
  optim::SchedulerState state{.last_epoch = json["last_epoch"].get<std::int64_t>(), .base_lrs = {}};
  for (const Json& lr : json["base_lrs"]) {
    if (!lr.is_number()) source_.fail("the metadata 'scheduler' has a base rate that is not a number");
    state.base_lrs.push_back(lr.get<double>());
  }
  if (state.last_epoch < 0) source_.fail("the metadata 'scheduler' has a negative epoch");
  if (state.base_lrs.size() != optimizer.num_param_groups())
    source_.fail("the schedule was saved for " + std::to_string(state.base_lrs.size()) +
                 " parameter groups, the optimizer has " + std::to_string(optimizer.num_param_groups()));
  return state;
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

}  // namespace

std::string type_name(const optim::Optimizer& optimizer) { return nn::type_name(typeid(optimizer)); }

std::string scheduler_json(const optim::LRScheduler& scheduler) {
  const optim::SchedulerState state = scheduler.state();
  return Json{{"type", scheduler.name()}, {"last_epoch", state.last_epoch}, {"base_lrs", state.base_lrs}}.dump();
}

template <class T>
TrainingState<T> read_training_state(const Safetensors& file, const Source& source, const BasicModule<T>& model,
                                     const optim::Optimizer& optimizer, const optim::LRScheduler* scheduler) {
  const CheckpointReader reader(file, source);
  reader.check_format();
  reader.check_module_tree(module_tree(model));
  TrainingState<T> state;
  state.weights = model_tensors<T>(file, true, source);
  state.optimizer = reader.read_optimizer(optimizer);
  state.extra_states = reader.read_extra_states(extra_states(model));
  state.scheduler = reader.read_scheduler(scheduler, optimizer);
  try {
    state.generator.set_state(reader.metadata("rng"));
  } catch (const Error&) {
    source.fail("the metadata 'rng' is not a generator state");
  }
  state.info.epoch = reader.read_epoch();
  state.info.history = reader.read_history();
  state.info.architecture = reader.metadata("architecture");
  return state;
}

template TrainingState<float> read_training_state(const Safetensors&, const Source&, const BasicModule<float>&,
                                                  const optim::Optimizer&, const optim::LRScheduler*);
template TrainingState<double> read_training_state(const Safetensors&, const Source&, const BasicModule<double>&,
                                                   const optim::Optimizer&, const optim::LRScheduler*);

}  // namespace tg::nn::detail
