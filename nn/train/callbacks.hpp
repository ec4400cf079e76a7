#pragma once
// Hooks into fit(): early stopping here, checkpointing and anything else a user writes. A
// callback is for models of one element type: BasicCallback<double> for a double model
// (Callback, EarlyStopping, Checkpoint are the float ones); fit refuses one of the other type.
#include <cstddef>
#include <optional>
#include <string>

#include "nn/module.hpp"
#include "nn/state_dict.hpp"
#include "nn/train/history.hpp"

namespace tg::optim {
class Optimizer;
class LRScheduler;
}  // namespace tg::optim

namespace tg::nn {

// What a callback sees and may change while fit() runs.
template <class T>
struct BasicTrainState {
  BasicModule<T>& model;
  optim::Optimizer& optimizer;
  optim::LRScheduler* scheduler = nullptr;  // fit's schedule, if any: checkpoints keep its state
  std::size_t epoch = 0;  // counted from 0
  std::size_t step = 0;   // optimizer steps taken in this epoch
  bool stop_training = false;
  bool is_main_process = true;  // false on all ranks but 0 of a distributed fit: they write no files
};
using TrainState = BasicTrainState<float>;

// What FitOptions holds: a BasicCallback of either element type.
class CallbackBase {
 public:
  virtual ~CallbackBase() = default;
};

template <class T>
class BasicCallback : public CallbackBase {
 public:
  virtual void on_train_begin(BasicTrainState<T>&) {}
  // After each optimizer step; the logs hold that step's "loss" (its samples' mean).
  virtual void on_batch_end(BasicTrainState<T>&, const Logs&) {}
  virtual void on_epoch_end(BasicTrainState<T>&, const Logs&) {}
  virtual void on_train_end(BasicTrainState<T>&) {}
};
using Callback = BasicCallback<float>;

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;    // smaller improvements do not count
  std::size_t patience = 0;  // epochs without improvement before stopping
  bool maximize = false;     // true for accuracies
  bool restore_best_weights = false;
};

// Stops when the monitored value has not improved for `patience` epochs, like Keras's
// EarlyStopping and PyBrain's trainUntilConvergence (which also restores the best weights).
template <class T>
class BasicEarlyStopping : public BasicCallback<T> {
 public:
  explicit BasicEarlyStopping(EarlyStoppingOptions options = {}) : options_(std::move(options)) {}
  void on_train_begin(BasicTrainState<T>&) override;
  void on_epoch_end(BasicTrainState<T>& state, const Logs& logs) override;
  void on_train_end(BasicTrainState<T>& state) override;

  // Epochs as fit prints them, counted from 1.
  std::optional<std::size_t> stopped_epoch() const { return stopped_epoch_; }
  std::size_t best_epoch() const { return best_epoch_; }
  double best() const { return best_; }

 private:
  EarlyStoppingOptions options_;
  double best_ = 0;
  std::size_t best_epoch_ = 0, waited_ = 0;
  bool seen_ = false;
  std::optional<std::size_t> stopped_epoch_;
  BasicStateDict<T> best_weights_;
};
using EarlyStopping = BasicEarlyStopping<float>;

extern template class BasicEarlyStopping<float>;
extern template class BasicEarlyStopping<double>;

}  // namespace tg::nn
