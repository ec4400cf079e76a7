#include "nn/train/callbacks.hpp"

namespace tg::nn {

void EarlyStopping::on_train_begin(TrainState&) {
  seen_ = false;
  waited_ = 0;
  stopped_epoch_.reset();
}

void EarlyStopping::on_epoch_end(TrainState& state, const Logs& logs) {
  if (!logs.contains(options_.monitor))
    throw Error("EarlyStopping: no '" + options_.monitor +
                "' in this epoch's logs (monitor 'loss', or give fit validation data for 'val_loss')");
  const double value = logs.at(options_.monitor);
  const bool improved = !seen_ || (options_.maximize ? value > best_ + options_.min_delta
                                                     : value < best_ - options_.min_delta);
  if (improved) {
    seen_ = true;
    best_ = value;
    best_epoch_ = state.epoch;
    waited_ = 0;
    if (options_.restore_best_weights) best_weights_ = state.model.state_dict();
    return;
  }
  if (++waited_ > options_.patience) {
    stopped_epoch_ = state.epoch;
    state.stop_training = true;
  }
}

void EarlyStopping::on_train_end(TrainState& state) {
  if (options_.restore_best_weights && seen_) state.model.load_state_dict(best_weights_);
}

}  // namespace tg::nn
