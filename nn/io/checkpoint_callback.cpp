// The Checkpoint callback: a save_checkpoint after every epoch of fit().
#include <string_view>

#include "nn/io/checkpoint.hpp"

namespace tg::nn {

template <class T>
BasicCheckpoint<T>::BasicCheckpoint(std::string path, History history)
    : path_(std::move(path)), history_(std::move(history)) {}

template <class T>
std::string BasicCheckpoint<T>::path(std::size_t epoch) const {
  std::string path = path_;
  constexpr std::string_view placeholder = "{epoch}";
  for (auto at = path.find(placeholder); at != std::string::npos; at = path.find(placeholder, at))
    path.replace(at, placeholder.size(), std::to_string(epoch));
  return path;
}

template <class T>
void BasicCheckpoint<T>::on_epoch_end(BasicTrainState<T>& state, const Logs& logs) {
  if (!state.is_main_process) return;  // in a distributed fit, rank 0 writes for all
  history_.append(logs);
  const std::size_t completed = state.epoch + 1;
  save_checkpoint(path(completed), state.model, state.optimizer,
                  {.epoch = completed, .history = &history_, .scheduler = state.scheduler});
}

template class BasicCheckpoint<float>;
template class BasicCheckpoint<double>;

}  // namespace tg::nn
