#pragma once
// The 784-100-10 sigmoid perceptron of "Make Your Own Neural Network", for MNIST and
// Fashion-MNIST, with two losses:
//   sse (the tutorial's): sigmoid outputs aimed at 0.01 / 0.99, SSE/2, no biases;
//   cross-entropy: softmax cross-entropy on the output layer's logits, with biases.
// --batch-size 1 (the default, as in the tutorial) updates after every sample. --distributed: one
// of several processes, trained data-parallel (mpirun -np 2 ... --batch-size 64 --distributed).
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "examples/distributed.hpp"
#include "tapegrad.hpp"

namespace examples {

inline tg::nn::MnistSet first_rows(tg::nn::MnistSet set, std::size_t limit) {
  const std::size_t n = std::min(limit, set.labels.size());
  return {xt::view(set.images, xt::range(0, n)), tg::Labels(set.labels.begin(), set.labels.begin() + n)};
}

inline int run_mlp_tutorial(const std::string& title, const std::string& default_data, int argc, char** argv) try {
  const Args args(argc, argv,
                  {{"data", default_data}, {"hidden", "100"}, {"lr", "0.1"}, {"epochs", "1"}, {"loss", "sse"},
                   {"batch-size", "1"}, {"limit", "60000"}, {"seed", "1"}, {"shuffle", "yes"}, {"history", title + "_history"}},
                  {"distributed"});
  const bool distributed = args.flag("distributed");
  const Processes processes(distributed, argc, argv);
  const std::string loss_name = args.str("loss");
  if (loss_name != "sse" && loss_name != "cross-entropy") throw std::invalid_argument("--loss is sse or cross-entropy");
  const std::size_t batch_size = args.count("batch-size");
  const auto train = first_rows(tg::nn::load_mnist(args.str("data"), "train", {.flatten = true}), args.count("limit"));
  const auto test = first_rows(tg::nn::load_mnist(args.str("data"), "t10k", {.flatten = true}), 10000);
  const std::size_t hidden = args.count("hidden");
  if (processes.main())
    std::printf("%s: 784-%zu-10, %s loss, batch size %zu, lr %g, %zu training images, %zu test images\n", title.c_str(),
                hidden, loss_name.c_str(), batch_size, args.number("lr"), train.labels.size(), test.labels.size());

  const auto seed = static_cast<std::uint64_t>(args.number("seed"));
  tg::nn::manual_seed(seed);
  const bool tutorial = loss_name == "sse";
  tg::nn::Sequential net(tg::nn::Linear(784, hidden, !tutorial), tg::nn::Sigmoid(),
                         tg::nn::Linear(hidden, 10, !tutorial));
  if (tutorial)  // the tutorial's weights: normal with standard deviation 1/sqrt(inputs), no biases
    for (auto& w : net.parameters()) tg::nn::init::normal_(w, 0.0, 1.0 / std::sqrt(double(w.shape()[1])));
  tg::optim::SGD optimizer(net.parameters(), {.lr = args.number("lr")});

  tg::nn::History history;
  const bool shuffle = args.str("shuffle") == "yes";
  if (tutorial) {
    // The tutorial scales pixels into [0.01, 1] and aims the sigmoid outputs at 0.01 / 0.99.
    auto scaled = [](const xt::xarray<float>& x) -> xt::xarray<float> { return x * 0.99f + 0.01f; };
    tg::nn::Sequential model(std::move(net), tg::nn::Sigmoid());
    const auto loss = [](const tg::Tensor& out, const tg::Tensor& target) {  // SSE/2 per sample
      return 0.5f * tg::nn::sse_loss(out, target) / static_cast<float>(out.shape()[0]);
    };
    history = tg::nn::fit(model, loss, optimizer, {scaled(train.images), tg::nn::one_hot(train.labels, 10, 0.01f, 0.99f)},
                          {.epochs = args.count("epochs"), .batch_size = batch_size, .shuffle = shuffle, .seed = seed,
                           .validation_data = tg::nn::Data{scaled(test.images), tg::nn::one_hot(test.labels, 10, 0.01f, 0.99f)},
                           .metrics = {"accuracy"}, .distributed = distributed});
  } else {
    history = tg::nn::fit(net, tg::nn::CrossEntropyLoss{}, optimizer, {train.images, train.labels},
                          {.epochs = args.count("epochs"), .batch_size = batch_size, .shuffle = shuffle, .seed = seed,
                           .validation_data = tg::nn::Data{test.images, test.labels}, .metrics = {"accuracy"},
                           .distributed = distributed});
  }
  if (!processes.main()) return 0;
  const auto accuracy = history.values("val_accuracy");
  for (std::size_t e = 0; e < accuracy.size(); ++e) std::printf("epoch %zu test accuracy: %.4f\n", e + 1, accuracy[e]);
  std::printf("final test accuracy: %.4f\n", accuracy.back());
  history.write_csv(args.str("history") + ".csv");
  if (history.plot(args.str("history") + ".png", std::cout))
    std::printf("history: %s.csv, %s.png\n", args.str("history").c_str(), args.str("history").c_str());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "%s: %s\n", title.c_str(), e.what());
  return 1;
}

}  // namespace examples
