// MNIST read by a 2-D LSTM, as Graves, Fernandez & Schmidhuber's multi-dimensional recurrent
// networks (2007) and PyBrain's MDLSTMLayer read images: each 28x28 digit becomes a 7x7 grid of
// 4x4-pixel patches (16 values each), an MDLSTM layer scans the grid row by row, every position
// seeing its upper and left neighbours, and the h of the last position, which has seen the whole
// image, goes through a linear layer to the ten classes (better than the mean h of all
// positions; the README has the numbers). Adam, cross-entropy.
#include <cstdio>
#include <exception>
#include <iostream>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "examples/fit_report.hpp"
#include "tapegrad.hpp"

namespace {

constexpr std::size_t grid = 7, patch = 4;

// The first `limit` images as (N, 7, 7, 16): patch (r, c) holds pixels [4r, 4r + 4) x [4c, 4c + 4), row by row.
tg::nn::Data patches(const std::string& dir, const std::string& split, std::size_t limit) {
  const auto set = tg::nn::load_mnist(dir, split);
  const std::size_t n = std::min(limit, set.labels.size());
  xt::xarray<float> x = xt::xarray<float>::from_shape({n, grid, grid, patch * patch});
  const float* pixels = set.images.data();
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t r = 0; r < grid; ++r)
      for (std::size_t c = 0; c < grid; ++c)
        for (std::size_t i = 0; i < patch; ++i)
          for (std::size_t j = 0; j < patch; ++j)
            x(k, r, c, i * patch + j) = pixels[k * 784 + (r * patch + i) * 28 + c * patch + j];
  return {std::move(x), tg::Labels(set.labels.begin(), set.labels.begin() + n)};
}

// MDLSTM over the grid, then the last position's h through a linear layer: (N, 7, 7, 16) -> (N, 10).
struct GridClassifier : tg::nn::Module {
  explicit GridClassifier(std::size_t hidden)
      : mdlstm(register_module("mdlstm", tg::nn::MDLSTM(patch * patch, hidden))),
        head(register_module("head", tg::nn::Linear(hidden, 10))) {}
  tg::Tensor forward(const tg::Tensor& x) override {
    const auto h = (*mdlstm)(x);  // (N, 7, 7, H)
    const std::ptrdiff_t last = grid - 1;
    const auto corner = tg::slice(h, {tg::Slice{}, tg::Slice{last, last + 1}, tg::Slice{last, last + 1}});
    return (*head)(tg::reshape(corner, {x.shape()[0], mdlstm->hidden_size()}));
  }
  std::string name() const override { return "GridClassifier"; }
  std::shared_ptr<tg::nn::MDLSTM> mdlstm;
  std::shared_ptr<tg::nn::Linear> head;
};

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv,
                            {{"data", "data/mnist"}, {"epochs", "1"}, {"hidden", "32"}, {"batch-size", "32"},
                             {"lr", "0.01"}, {"limit", "60000"}, {"test-limit", "10000"}, {"threads", "1"},
                             {"seed", "1"}, {"history", "mnist_mdlstm_history"}});
  tg::set_num_threads(int(args.count("threads")));
  const auto train = patches(args.str("data"), "train", args.count("limit"));
  const auto test = patches(args.str("data"), "t10k", args.count("test-limit"));
  tg::nn::manual_seed(args.count("seed"));
  GridClassifier model(args.count("hidden"));
  std::cout << "mnist_mdlstm: " << tg::nn::samples(train.targets[0]) << " training images, "
            << tg::nn::samples(test.targets[0])
            << " test images as 7x7 grids of 4x4 patches, batch " << args.count("batch-size") << ", lr "
            << args.number("lr") << "\n"
            << model.summary();
  tg::optim::Adam adam(model.parameters(), {.lr = args.number("lr")});
  const auto history = tg::nn::fit(model, tg::nn::CrossEntropyLoss{}, adam, train,
                                   {.epochs = args.count("epochs"), .batch_size = args.count("batch-size"),
                                    .seed = args.count("seed"), .validation_data = test, .metrics = {"accuracy"}});
  examples::report_fit(history, args.str("history"));
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "mnist_mdlstm: %s\n", e.what());
  return 1;
}
