// The "9 lines of Python" neuron: three inputs, a sigmoid, 10,000 steps of gradient descent.
// Its update `w += X.T @ ((y - out) * out * (1 - out))` is SGD with lr 1 on SSE/2.
#include <cstdio>

#include "examples/cli.hpp"
#include "examples/tutorial.hpp"

int main(int argc, char** argv) {
  examples::describe(argc, argv, "The \"9 lines of Python\" neuron: a sigmoid neuron learns y = first input by 10,000 steps of gradient descent.");
  const auto inputs = tg::TensorD::from({{0, 0, 1}, {1, 1, 1}, {1, 0, 1}, {0, 1, 1}});
  const auto targets = tg::transpose(tg::TensorD::from({{0, 1, 1, 0}}));

  examples::NumpyRandom random(1);
  auto weights = tg::TensorD::from(2.0 * random.random({3, 1}) - 1.0, true);
  const auto& w = weights.value();
  std::printf("Random starting synaptic weights: [%.8f %.8f %.8f]\n", w(0, 0), w(1, 0), w(2, 0));

  const auto think = [&](const tg::TensorD& x) { return tg::sigmoid(tg::matmul(x, weights)); };
  for (int step = 0; step < 10000; ++step)
    examples::descend(0.5 * tg::sum(tg::square(think(inputs) - targets)), {weights}, 1.0);
  std::printf("New synaptic weights after training: [%.8f %.8f %.8f]\n", w(0, 0), w(1, 0), w(2, 0));
  const double answer = think(tg::TensorD::from({{1, 0, 0}})).item();
  std::printf("Considering new situation [1, 0, 0] -> ?: %.8f\n", answer);
}
