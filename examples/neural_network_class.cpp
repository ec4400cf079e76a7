// James Loy's "How to build your own Neural Network from scratch in Python": a class with
// feedforward and backprop, a 3-4-1 sigmoid network trained 1,500 times on SSE. Here backprop
// is the tape's; the loss per iteration is kept and drawn.
#include <cstdio>
#include <iostream>

#include "examples/cli.hpp"
#include "examples/tutorial.hpp"

class NeuralNetwork {
 public:
  NeuralNetwork(tg::TensorD x, tg::TensorD y, examples::NumpyRandom& random)
      : input_(std::move(x)),
        y_(std::move(y)),
        weights1_(tg::TensorD::from(random.random({input_.shape()[1], 4}), true)),
        weights2_(tg::TensorD::from(random.random({4, 1}), true)) {}

  tg::TensorD feedforward() {
    auto layer1 = tg::sigmoid(tg::matmul(input_, weights1_));
    output_ = tg::sigmoid(tg::matmul(layer1, weights2_));
    return output_;
  }

  // The tutorial's weights += d_weights is gradient descent with lr 1 on the sum of squares.
  double backprop() {
    auto loss = tg::sum(tg::square(y_ - output_));
    examples::descend(loss, {weights1_, weights2_}, 1.0);
    return loss.item();
  }

  const tg::TensorD& output() const { return output_; }

 private:
  tg::TensorD input_, y_, weights1_, weights2_, output_;
};

int main(int argc, char** argv) {
  examples::describe(argc, argv, "The NeuralNetwork class tutorial: a 3-4-1 network with feedforward/backprop methods learns XOR.");
  const auto X = tg::TensorD::from({{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
  const auto y = tg::transpose(tg::TensorD::from({{0, 1, 1, 0}}));
  examples::NumpyRandom random(1);
  NeuralNetwork nn(X, y, random);

  tg::nn::History losses;
  for (int i = 0; i < 1500; ++i) {
    nn.feedforward();
    tg::nn::Logs logs;
    logs.set("loss", nn.backprop());
    losses.append(logs);
    if (i % 300 == 0 || i == 1499) std::printf("iteration %4d  loss %.6f\n", i + 1, logs.at("loss"));
  }
  std::printf("Predictions after 1500 iterations:\n");
  for (double v : nn.output().value()) std::printf("[%.4f]\n", v);
  losses.write_csv("neural_network_class_loss.csv");
  if (losses.plot("neural_network_class_loss.png", std::cout))
    std::printf("loss per iteration: neural_network_class_loss.png\n");
}
