#pragma once
// Hooks into fit(): early stopping here, checkpointing and anything else a user writes.
#include <cstddef>
#include <optional>
#include <string>

#include "nn/module.hpp"
#include "nn/state_dict.hpp"
#include "nn/train/history.hpp"

namespace tg::optim {
class Optimizer;
}

namespace tg::nn {

// What a callback sees and may change while fit() runs.
struct TrainState {
  Module& model;
  optim::Optimizer& optimizer;
  std::size_t epoch = 0;  // counted from 0
  bool stop_training = false;
};

class Callback {
 public:
  virtual ~Callback() = default;
  virtual void on_train_begin(TrainState&) {}
  virtual void on_epoch_end(TrainState&, const Logs&) {}
  virtual void on_train_end(TrainState&) {}
};

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;    // smaller improvements do not count
  std::size_t patience = 0;  // epochs without improvement before stopping
  bool maximize = false;     // true for accuracies
  bool restore_best_weights = false;
};

// Stops when the monitored value has not improved for `patience` epochs, like Keras's
// EarlyStopping and PyBrain's trainUntilConvergence (which also restores the best weights).
class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {}) : options_(std::move(options)) {}
  void on_train_begin(TrainState&) override;
  void on_epoch_end(TrainState& state, const Logs& logs) override;
  void on_train_end(TrainState& state) override;

  std::optional<std::size_t> stopped_epoch() const { return stopped_epoch_; }
  std::size_t best_epoch() const { return best_epoch_; }
  double best() const { return best_; }

 private:
  EarlyStoppingOptions options_;
  double best_ = 0;
  std::size_t best_epoch_ = 0, waited_ = 0;
  bool seen_ = false;
  std::optional<std::size_t> stopped_epoch_;
  StateDict best_weights_;
};

}  // namespace tg::nn
