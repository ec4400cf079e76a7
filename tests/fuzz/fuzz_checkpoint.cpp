// load_checkpoint into a model and Adam: every section (weights, optimizer state, epoch, history,
// generators, extra state, module tree) is read whole or refused, and a refusal changes nothing.
#include "tests/fuzz/training_state.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) {
  static TrainingState state;
  const Snapshot before(state);
  try {
    nn::load_checkpoint(input_file(input), state.model, state.adam);
  } catch (const Error&) {
    if (!(Snapshot(state) == before)) violated("load_checkpoint failed and changed the training state");
    throw;
  }
}

void write_seeds(const std::filesystem::path& dir) {
  TrainingState state;
  nn::save_checkpoint(dir / "fresh", state.model, state.adam);
  state.train(3);
  nn::History history;
  for (double loss : {0.9, 0.5, 0.25}) {
    nn::Logs logs;
    logs.set("loss", loss);
    logs.set("val_loss", loss + 0.1);
    history.append(logs);
  }
  nn::save_checkpoint(dir / "trained", state.model, state.adam, {.epoch = 3, .history = &history});
  nn::save_weights(dir / "weights_only", state.model);
}

}  // namespace tg::fuzz
