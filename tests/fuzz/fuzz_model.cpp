// load_model on any file: the architecture JSON (module types, settings, modes, extra states,
// children) rebuilt through the registry, then the weights; float and double models alike.
#include "nn/io/saved_model.hpp"
#include "tapegrad.hpp"
#include "tests/fuzz/harness.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) {
  const std::string file = input_file(input);
  if (!input.empty() && input.back() % 2 == 0) {
    nn::load_model<double>(file);
  } else {
    nn::load_model(file);
  }
}

void write_seeds(const std::filesystem::path& dir) {
  nn::save_model(dir / "dense", nn::Sequential(nn::Linear(3, 4), nn::LayerNorm(4), nn::LeakyReLU(0.2f),
                                               nn::Dropout(0.5), nn::Linear(4, 2), nn::LogSoftmax(1)));
  nn::save_model(dir / "convolutional", nn::Sequential(nn::Conv2d(1, 2, 3, {.padding = 1}), nn::BatchNorm2d(2),
                                                       nn::ReLU(), nn::MaxPool2d(2), nn::Flatten()));
  nn::save_model(dir / "tagger", nn::Sequential(nn::Embedding(10, 3), nn::LSTM(3, 4, {.batch_first = true})));
  nn::save_model(dir / "gru_double", nn::BasicGRU<double>(2, 3, {.num_layers = 2, .bidirectional = true}));
  nn::save_model(dir / "mdlstm", nn::MDLSTM(2, 2));
}

}  // namespace tg::fuzz
