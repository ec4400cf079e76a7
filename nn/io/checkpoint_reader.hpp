#pragma once
// Reads and checks everything a checkpoint file restores, before anything is changed. Internal
// to nn/io.
#include <map>
#include <optional>
#include <string>

#include "autograd/random.hpp"
#include "nn/io/checkpoint.hpp"
#include "nn/io/model_file.hpp"
#include "optim/lr_scheduler.hpp"
#include "optim/optimizer.hpp"

namespace tg::nn::detail {

template <class T>
struct TrainingState {
  BasicStateDict<T> weights;
  optim::OptimizerState optimizer;
  std::map<std::string, std::string> extra_states;
  std::optional<optim::SchedulerState> scheduler;
  Generator generator;
  CheckpointInfo info;
};

// Throws naming the file and the problem when `file` does not fit `model`, `optimizer` and
// `scheduler` (null: none).
template <class T>
TrainingState<T> read_training_state(const Safetensors& file, const Source& source, const BasicModule<T>& model,
                                     const optim::Optimizer& optimizer, const optim::LRScheduler* scheduler);

// "tg::optim::Adam": another optimizer's buffers would be misread without a word, so it is checked.
std::string type_name(const optim::Optimizer& optimizer);
// The metadata "scheduler": its type, epoch and base rates, as JSON.
std::string scheduler_json(const optim::LRScheduler& scheduler);

}  // namespace tg::nn::detail
