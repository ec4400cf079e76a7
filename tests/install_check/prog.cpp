// A program outside the project, built only from what `meson install` put in place:
//   g++ prog.cpp $(pkg-config --cflags --libs tapegrad)
// f(x) = x . A x with A = [[2, 1], [1, 3]] at x = (1, 2): A x = (4, 7), f = 18,
// and the gradient (A + A^T) x = 2 A x = (8, 14).
#include <iostream>

#include "tapegrad.hpp"

int main() {
  const auto a = tg::TensorD::from({{2.0, 1.0}, {1.0, 3.0}});
  const auto x = tg::TensorD::from({1.0, 2.0}, true);
  const auto f = tg::sum(tg::matmul(a, x) * x);
  f.backward();
  const auto& g = x.grad().value();
  std::cout << "f = " << f.item() << "\ngradient = " << g(0) << " " << g(1) << std::endl;
}
