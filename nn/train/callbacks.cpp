#include "nn/train/callbacks.hpp"

namespace tg::nn {

template <class T>
void BasicEarlyStopping<T>::on_train_begin(BasicTrainState<T>&) {
  seen_ = false;
  waited_ = 0;
  stopped_epoch_.reset();
}

template <class T>
void BasicEarlyStopping<T>::on_epoch_end(BasicTrainState<T>& state, const Logs& logs) {
  if (!logs.contains(options_.monitor))
    throw Error("EarlyStopping: no '" + options_.monitor +
                "' in this epoch's logs (monitor 'loss', or give fit validation data for 'val_loss')");
  const double value = logs.at(options_.monitor);
  const bool improved = !seen_ || (options_.maximize ? value > best_ + options_.min_delta
                                                     : value < best_ - options_.min_delta);
  if (improved) {
    seen_ = true;
    best_ = value;
    best_epoch_ = state.epoch + 1;
    waited_ = 0;
    if (options_.restore_best_weights) best_weights_ = state.model.state_dict();
    return;
  }
  if (++waited_ > options_.patience) {
    stopped_epoch_ = state.epoch + 1;
    state.stop_training = true;
  }
}

template <class T>
void BasicEarlyStopping<T>::on_train_end(BasicTrainState<T>& state) {
  if (options_.restore_best_weights && seen_) state.model.load_state_dict(best_weights_);
}

template class BasicEarlyStopping<float>;
template class BasicEarlyStopping<double>;

}  // namespace tg::nn
