// read_safetensors on any file: the header's JSON, dtypes, shapes, offsets and metadata.
#include "nn/io/safetensors.hpp"
#include "tests/fuzz/training_state.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) { nn::read_safetensors(input_file(input)); }

void write_seeds(const std::filesystem::path& dir) {
  nn::Safetensors file;
  file.metadata["note"] = "hi";
  file.insert("w", xt::xarray<float>{{1.0f, -2.0f}, {0.5f, 3.0f}});
  file.insert("n", xt::xarray<std::int64_t>{1, -1, std::int64_t{1} << 40});
  file.insert("d", xt::xarray<double>(0.25));
  file.insert("empty", xt::xarray<float>::from_shape({0, 3}));
  nn::write_safetensors(dir / "three_dtypes", file);
  nn::write_safetensors(dir / "nothing", nn::Safetensors());
  TrainingState state;
  state.train(2);
  nn::save_weights(dir / "weights", state.model);
  nn::save_checkpoint(dir / "checkpoint", state.model, state.adam, {.epoch = 2});
}

}  // namespace tg::fuzz
