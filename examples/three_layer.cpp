// "A neural network in 11 lines", part 2: a 3-4-1 sigmoid network learns XOR of the first two
// inputs, which one layer cannot.
#include <cstdio>

#include <xtensor/xmath.hpp>

#include "examples/cli.hpp"
#include "examples/tutorial.hpp"

int main(int argc, char** argv) {
  examples::describe(argc, argv, "\"A neural network in 11 lines\", part 2: a 3-4-1 sigmoid network learns XOR of the first two inputs.");
  const auto X = tg::TensorD::from({{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}});
  const auto y = tg::transpose(tg::TensorD::from({{0, 1, 1, 0}}));

  examples::NumpyRandom random(1);
  auto syn0 = tg::TensorD::from(2.0 * random.random({3, 4}) - 1.0, true);
  auto syn1 = tg::TensorD::from(2.0 * random.random({4, 1}) - 1.0, true);

  tg::TensorD l2;
  for (int j = 0; j < 60000; ++j) {
    auto l1 = tg::sigmoid(tg::matmul(X, syn0));
    l2 = tg::sigmoid(tg::matmul(l1, syn1));
    if (j % 10000 == 0) std::printf("Error:%.12g\n", xt::mean(xt::abs(y.value() - l2.value()))());
    examples::descend(0.5 * tg::sum(tg::square(y - l2)), {syn0, syn1}, 1.0);
  }
  std::printf("Output After Training:\n");
  for (double v : l2.value()) std::printf("[%.8f]\n", v);
}
