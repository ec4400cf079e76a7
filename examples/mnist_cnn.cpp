// The Keras seed's two MNIST CNNs, with Keras's defaults (Glorot-uniform kernels, zero biases,
// Adam lr 0.001, SGD lr 0.01, batch size 32):
//   A: Conv2D(64, 3, relu) -> Conv2D(32, 3, relu) -> Flatten -> Dense(10, softmax),
//      Adam, categorical cross-entropy; pixels scaled to [0, 1];
//   B: Conv2D(64, 3, relu) -> MaxPooling2D -> Conv2D(128, 3, relu) -> Flatten -> Dense(10, softmax),
//      SGD, mean squared error on one-hot targets; raw 0-255 pixels, as Keras's
//      mnist.load_data() gives them. Scaled to [0, 1], the first layers' outputs are too small
//      for SGD at lr 0.01 to leave the uniform-softmax start of MSE (the README's MNIST section
//      has the measurements).
// --distributed: one of several processes, trained data-parallel (mpirun -np 2 ... --distributed).
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "examples/distributed.hpp"
#include "examples/fit_report.hpp"
#include "tapegrad.hpp"

namespace {

// Keras's Conv2D/Dense initialisation.
template <class Layer>
Layer keras_init(Layer layer) {
  tg::nn::init::xavier_uniform_(layer.weight);
  tg::nn::init::zeros_(layer.bias);
  return layer;
}

tg::nn::Sequential model_a() {
  return tg::nn::Sequential(keras_init(tg::nn::Conv2d(1, 64, 3)), tg::nn::ReLU(), keras_init(tg::nn::Conv2d(64, 32, 3)),
                            tg::nn::ReLU(), tg::nn::Flatten(), keras_init(tg::nn::Linear(32 * 24 * 24, 10)));
}

tg::nn::Sequential model_b() {
  return tg::nn::Sequential(keras_init(tg::nn::Conv2d(1, 64, 3)), tg::nn::ReLU(), tg::nn::MaxPool2d(2),
                            keras_init(tg::nn::Conv2d(64, 128, 3)), tg::nn::ReLU(), tg::nn::Flatten(),
                            keras_init(tg::nn::Linear(128 * 11 * 11, 10)), tg::nn::Softmax());
}

// The first `limit` images as (N, 1, 28, 28), pixels multiplied by `scale` (they load in [0, 1]).
tg::nn::MnistSet images(const std::string& dir, const std::string& split, std::size_t limit, float scale) {
  auto set = tg::nn::load_mnist(dir, split);
  const std::size_t n = std::min(limit, set.labels.size());
  xt::xarray<float> x = scale * xt::view(set.images, xt::range(0, n));
  x.reshape({n, 1, 28, 28});
  return {std::move(x), tg::Labels(set.labels.begin(), set.labels.begin() + n)};
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv,
                            {{"data", "data/mnist"}, {"model", "A"}, {"epochs", "0"}, {"batch-size", "32"},
                             {"limit", "60000"}, {"test-limit", "10000"}, {"threads", "0"}, {"seed", "1"},
                             {"history", "mnist_cnn_history"}, {"pixels", ""}, {"lr", "0"}, {"flush-denormal", "1"},
                             {"save", ""}},
                            {"distributed"});
  const examples::Processes processes(args.flag("distributed"), argc, argv);
  if (args.count("threads") > 0) tg::set_num_threads(static_cast<int>(args.count("threads")));
  // As TensorFlow runs Keras: subnormal numbers flushed to zero (see ops/cpu/settings.hpp).
  tg::set_flush_denormal(args.count("flush-denormal") != 0);
  const std::string which = args.str("model");
  if (which != "A" && which != "B") throw std::invalid_argument("--model is A or B");
  const std::size_t epochs = args.count("epochs") ? args.count("epochs") : which == "A" ? 1 : 10;
  const double lr = args.number("lr") > 0 ? args.number("lr") : which == "A" ? 1e-3 : 0.01;
  const std::string pixels = args.str("pixels").empty() ? (which == "A" ? "unit" : "raw") : args.str("pixels");
  if (pixels != "unit" && pixels != "raw") throw std::invalid_argument("--pixels is unit ([0, 1]) or raw (0-255)");
  const float scale = pixels == "raw" ? 255.0f : 1.0f;

  const auto train = images(args.str("data"), "train", args.count("limit"), scale);
  const auto test = images(args.str("data"), "t10k", args.count("test-limit"), scale);
  tg::nn::manual_seed(static_cast<std::uint64_t>(args.number("seed")));
  tg::nn::Sequential model = which == "A" ? model_a() : model_b();
  if (processes.main())
    std::cout << "mnist_cnn model " << which << ": " << train.labels.size() << " training images, "
              << test.labels.size() << " test images (" << pixels << " pixels), batch " << args.count("batch-size")
              << ", lr " << lr << ", " << tg::num_threads() << " BLAS threads (" << tg::blas_kernels() << ")\n"
              << model.summary({1, 28, 28});

  tg::nn::History history;
  tg::nn::FitOptions options{.epochs = epochs, .batch_size = args.count("batch-size"),
                             .seed = static_cast<std::uint64_t>(args.number("seed")), .metrics = {"accuracy"},
                             .distributed = args.flag("distributed")};
  if (which == "A") {
    tg::optim::Adam adam(model.parameters(), {.lr = lr});
    options.validation_data = tg::nn::Data{test.images, test.labels};
    history = tg::nn::fit(model, tg::nn::CrossEntropyLoss{}, adam, {train.images, train.labels}, options);
  } else {
    tg::optim::SGD sgd(model.parameters(), {.lr = lr});
    options.validation_data = tg::nn::Data{test.images, tg::nn::one_hot(test.labels, 10)};
    history = tg::nn::fit(model, tg::nn::MSELoss{}, sgd, {train.images, tg::nn::one_hot(train.labels, 10)}, options);
  }
  if (!processes.main()) return 0;
  examples::report_fit(history, args.str("history"));
  if (!args.str("save").empty()) {  // the whole model, for examples/predict (--pixels as here)
    tg::nn::save_model(args.str("save"), model);
    std::printf("model saved: %s (predict --model %s --pixels %s)\n", args.str("save").c_str(), args.str("save").c_str(),
                pixels.c_str());
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "mnist_cnn: %s\n", e.what());
  return 1;
}
