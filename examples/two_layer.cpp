// "A neural network in 11 lines", part 1: a 3-1 sigmoid network learns y = first input.
#include <cstdio>

#include "examples/cli.hpp"
#include "examples/tutorial.hpp"

int main(int argc, char** argv) {
  examples::describe(argc, argv, "\"A neural network in 11 lines\", part 1: a 3-1 sigmoid network learns y = first input.");
  const auto X = tg::TensorD::from({{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
  const auto y = tg::transpose(tg::TensorD::from({{0, 0, 1, 1}}));

  examples::NumpyRandom random(1);
  auto syn0 = tg::TensorD::from(2.0 * random.random({3, 1}) - 1.0, true);

  tg::TensorD l1;
  for (int iter = 0; iter < 10000; ++iter) {
    l1 = tg::sigmoid(tg::matmul(X, syn0));
    examples::descend(0.5 * tg::sum(tg::square(y - l1)), {syn0}, 1.0);
  }
  std::printf("Output After Training:\n");
  for (double v : l1.value()) std::printf("[%.8f]\n", v);
}
