// The LinuxBlog MNIST perceptron as published: it asks for the number of hidden nodes and the
// learning rate, reads mnist_train.csv / mnist_test.csv (`label,pix0,...,pix783`), starts a
// 784-H-10 sigmoid network without biases from uniform(-0.5, 0.5) weights, and trains it sample
// by sample on half the squared error against targets 0.01 / 0.99, in file order. Each of the
// five rounds is one pass over the training file followed by the test, which prints the
// network's efficiency: the percentage of test digits it names right.
//
//   linuxblog_perceptron                      (asks on a terminal; defaults 100 and 0.5)
//   linuxblog_perceptron --hidden 100 --lr 0.5 < /dev/null
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

namespace {

// Asks on the terminal; an empty answer keeps `value`.
double ask(const char* question, double value) {
  std::printf("%s [%g]: ", question, value);
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer) || answer.empty()) return value;
  std::size_t end = 0;
  const double given = std::stod(answer, &end);
  if (end != answer.size()) throw std::invalid_argument("not a number: '" + answer + "'");
  return given;
}

// The seed's inputs: pixels 0..255 scaled into [0.01, 1.00], so that no input is zero.
xt::xarray<float> scaled(const xt::xarray<float>& unit_pixels) { return unit_pixels * 0.99f + 0.01f; }

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv, {{"train", "data/mnist_train.csv"}, {"test", "data/mnist_test.csv"},
                                         {"hidden", "100"}, {"lr", "0.5"}, {"rounds", "5"}, {"seed", "1"}});
  double hidden = args.number("hidden"), lr = args.number("lr");
  if (isatty(STDIN_FILENO)) {
    hidden = ask("Enter the number of hidden nodes", hidden);
    lr = ask("Enter the learning rate", lr);
  }
  if (hidden < 1 || hidden != static_cast<std::size_t>(hidden)) throw std::invalid_argument("hidden nodes: a positive whole number");
  if (!(lr > 0)) throw std::invalid_argument("the learning rate must be positive");

  const auto train = tg::nn::read_mnist_csv(args.str("train"), {.flatten = true});
  const auto test = tg::nn::read_mnist_csv(args.str("test"), {.flatten = true});
  const auto hidden_nodes = static_cast<std::size_t>(hidden);
  std::printf("linuxblog_perceptron: 784-%zu-10 sigmoid network, learning rate %g, %zu training and %zu test digits\n",
              hidden_nodes, lr, train.labels.size(), test.labels.size());

  tg::nn::manual_seed(static_cast<std::uint64_t>(args.number("seed")));
  tg::nn::Sequential net(tg::nn::Linear(784, hidden_nodes, false), tg::nn::Sigmoid(),
                         tg::nn::Linear(hidden_nodes, 10, false), tg::nn::Sigmoid());
  for (auto& w : net.parameters()) tg::nn::init::uniform_(w, -0.5, 0.5);
  tg::optim::SGD optimizer(net.parameters(), {.lr = lr});
  const auto half_squared_error = [](const tg::Tensor& out, const tg::Tensor& target) {
    return 0.5f * tg::nn::sse_loss(out, target);
  };
  const tg::nn::Data training{scaled(train.images), tg::nn::one_hot(train.labels, 10, 0.01f, 0.99f)};
  const tg::nn::Data testing{scaled(test.images), tg::nn::one_hot(test.labels, 10, 0.01f, 0.99f)};

  const std::size_t rounds = args.count("rounds");
  for (std::size_t round = 1; round <= rounds; ++round) {
    const auto history = tg::nn::fit(net, half_squared_error, optimizer, training,
                                     {.epochs = 1, .batch_size = 1, .shuffle = false, .validation_data = testing,
                                      .metrics = {"accuracy"}, .verbosity = tg::nn::Verbosity::Silent});
    std::printf("round %zu: network efficiency %% = %.2f\n", round, 100.0 * history.values("val_accuracy").back());
    std::fflush(stdout);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "linuxblog_perceptron: %s\n", e.what());
  return 1;
}
