#include "nn/io/checkpoint.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

#include "nn/default_generator.hpp"
#include "nn/io/checkpoint_reader.hpp"
#include "optim/lr_scheduler.hpp"
#include "optim/optimizer.hpp"

namespace tg::nn {
namespace {

using Json = nlohmann::ordered_json;

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

// "optimizer.state.<position>.step" and ".<buffer>" for each stepped parameter.
template <class States>
void insert_optimizer_state(Safetensors& file, const States& states) {
  for (const auto& [position, param] : states) {
    const std::string prefix = std::string(detail::optimizer_prefix) + std::to_string(position) + ".";
    file.insert(prefix + "step", xt::xarray<std::int64_t>(param.step));
    for (const auto& [name, buffer] : param.buffers) file.insert(prefix + name, buffer);
  }
}

// Each step checks before it changes anything; when a later one fails, the earlier are undone.
template <class T>
void restore(detail::TrainingState<T>& state, BasicModule<T>& model, optim::Optimizer& optimizer,
             optim::LRScheduler* scheduler) {
  const BasicStateDict<T> old_weights = model.state_dict();
  const optim::OptimizerState old_optimizer = optimizer.state();
  const auto old_extra_states = detail::extra_states(model);
  model.load_state_dict(state.weights);
  try {
    optimizer.load_state(state.optimizer);
    detail::set_extra_states(model, state.extra_states);
    if (scheduler) scheduler->load_state(*state.scheduler);
  } catch (...) {
    // The old values came from these very objects, so putting them back cannot fail.
    model.load_state_dict(old_weights);
    optimizer.load_state(old_optimizer);
    detail::set_extra_states(model, old_extra_states);
    throw;
  }
  default_generator() = state.generator;
}

}  // namespace

template <class T>
void save_checkpoint(const std::string& path, const BasicModule<T>& model, const optim::Optimizer& optimizer,
                     const CheckpointOptions& options) {
  const detail::Source source{"save_checkpoint", path};
  Safetensors file;
  try {
    file = detail::weights_file(model, detail::checkpoint_format);
    const optim::OptimizerState state = optimizer.state();
    insert_optimizer_state(file, state.params);
    insert_optimizer_state(file, state.double_params);
    file.metadata["optimizer"] = Json{{"type", detail::type_name(optimizer)}, {"lrs", state.lrs}}.dump();
    file.metadata["epoch"] = std::to_string(options.epoch);
    file.metadata["rng"] = default_generator().state();
    file.metadata["extra_states"] = Json(detail::extra_states(model)).dump();
    if (options.history) file.metadata["history"] = history_json(*options.history).dump();
    if (options.scheduler) file.metadata["scheduler"] = detail::scheduler_json(*options.scheduler);
  } catch (const Error& e) {
    source.fail(e.what());
  }
  write_safetensors(path, file, source.op);
}

template <class T>
CheckpointInfo load_checkpoint(const std::string& path, BasicModule<T>& model, optim::Optimizer& optimizer,
                               optim::LRScheduler* scheduler) {
  const detail::Source source{"load_checkpoint", path};
  const Safetensors file = read_safetensors(path, source.op);
  detail::TrainingState<T> state = detail::read_training_state(file, source, model, optimizer, scheduler);
  try {
    restore(state, model, optimizer, scheduler);
  } catch (const Error& e) {
    source.fail(e.what());
  }
  return std::move(state.info);
}

template void save_checkpoint(const std::string&, const BasicModule<float>&, const optim::Optimizer&,
                              const CheckpointOptions&);
template void save_checkpoint(const std::string&, const BasicModule<double>&, const optim::Optimizer&,
                              const CheckpointOptions&);
template CheckpointInfo load_checkpoint(const std::string&, BasicModule<float>&, optim::Optimizer&,
                                        optim::LRScheduler*);
template CheckpointInfo load_checkpoint(const std::string&, BasicModule<double>&, optim::Optimizer&,
                                        optim::LRScheduler*);

}  // namespace tg::nn
