// The Checkpoint callback: a save_checkpoint after every epoch of fit().
#include <string_view>

#include "nn/io/checkpoint.hpp"

namespace tg::nn {

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
