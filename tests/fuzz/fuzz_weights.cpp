// load_weights into a model: any file is loaded whole or refused, and a refusal changes nothing.
#include "tests/fuzz/training_state.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) {
  static TrainingState state;
  const Snapshot before(state);
  try {
    nn::load_weights(input_file(input), state.model);
  } catch (const Error&) {
    if (!(Snapshot(state) == before)) violated("load_weights failed and changed the model");
    throw;
  }
}

void write_seeds(const std::filesystem::path& dir) {
  TrainingState state;
  state.train(1);
  nn::save_weights(dir / "weights", state.model);
  nn::save_checkpoint(dir / "checkpoint", state.model, state.adam, {.epoch = 1});
}

}  // namespace tg::fuzz
