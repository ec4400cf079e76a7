#pragma once
// Checkpoints in the safetensors format: a whole training state (architecture, parameters and
// buffers, optimizer state, epoch, random generators, history) in one file that Python's
// safetensors and PyTorch can read. Saves are atomic, and a load that fails changes nothing.
//
//   tg::nn::fit(model, loss, optimizer, data, {.epochs = 10, .callbacks = {
//       std::make_shared<tg::nn::Checkpoint>("run.safetensors")}});
//   ... after a crash, with the model and optimizer built as before:
//   const auto info = tg::nn::load_checkpoint("run.safetensors", model, optimizer);
//   tg::nn::fit(model, loss, optimizer, data, {.epochs = 10, .initial_epoch = info.epoch});
#include <cstddef>
#include <string>

#include "nn/io/weights.hpp"
#include "nn/module.hpp"
#include "nn/train/callbacks.hpp"
#include "nn/train/history.hpp"

namespace tg::optim {
class Optimizer;
class LRScheduler;
}  // namespace tg::optim

namespace tg::nn {

struct CheckpointOptions {
  std::size_t epoch = 0;              // epochs completed: training resumes with .initial_epoch = epoch
  const History* history = nullptr;   // the fit history so far, if any
  const optim::LRScheduler* scheduler = nullptr;  // the learning-rate schedule, if any
};

struct CheckpointInfo {
  std::size_t epoch = 0;
  History history;
  std::string architecture;  // the model's summary() when it was saved
};

// The model's tensors as in save_weights, then each stepped parameter's optimizer state as
// "optimizer.state.<position>.<buffer>" (F32 or F64, as the parameter) and
// "optimizer.state.<position>.step" (I64), with the rest in "__metadata__": the module tree and
// summary, the optimizer's type and learning rates, the schedule's type, epoch and base rates,
// the epoch, the history, the default generator and each module's extra_state(). T = float or
// double.
template <class T>
void save_checkpoint(const std::string& path, const BasicModule<T>& model, const optim::Optimizer& optimizer,
                     const CheckpointOptions& options = {});
// Restores the model (parameters, buffers, extra state), the optimizer, the schedule and the
// default generator, so that training continues exactly. The model, optimizer and schedule
// must be built as when saving: a different module tree, optimizer or schedule type, name,
// shape or dtype, a schedule saved but not given here (or given but not saved), or a damaged
// file, is an error naming the file and the problem, and then nothing is changed.
template <class T>
CheckpointInfo load_checkpoint(const std::string& path, BasicModule<T>& model, optim::Optimizer& optimizer,
                               optim::LRScheduler* scheduler = nullptr);

// Saves a checkpoint at the end of every epoch, holding the epochs completed, the history and
// fit's schedule. A "{epoch}" in the path is replaced by that count, to keep one file per epoch.
template <class T>
class BasicCheckpoint : public BasicCallback<T> {
 public:
  // `history`: the epochs before a resume (CheckpointInfo::history), kept in every save.
  explicit BasicCheckpoint(std::string path, History history = {});
  void on_epoch_end(BasicTrainState<T>& state, const Logs& logs) override;
  std::string path(std::size_t epoch) const;  // the file written after `epoch` epochs

 private:
  std::string path_;
  History history_;
};
using Checkpoint = BasicCheckpoint<float>;

extern template class BasicCheckpoint<float>;
extern template class BasicCheckpoint<double>;

}  // namespace tg::nn
