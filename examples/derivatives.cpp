// Derivatives of the Rosenbrock function, whose minimum f = 0 lies at the end of a long curved
// valley at x = (1, ..., 1): its gradient by backward(), a Hessian-vector product by
// differentiating the gradient again, and plain gradient descent down the valley.
#include <cstdio>
#include <string>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

namespace {

// f(x) = sum_i 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2
tg::TensorD rosenbrock(const tg::TensorD& x) {
  const auto head = tg::slice(x, {tg::Slice{0, -1}});  // x[0 .. n-2]
  const auto tail = tg::slice(x, {tg::Slice{1}});      // x[1 .. n-1]
  return tg::sum(100.0 * tg::square(tail - tg::square(head)) + tg::square(1.0 - head));
}

std::string str(const tg::TensorD& t) {
  std::string s = "[";
  for (std::size_t i = 0; i < t.size(); ++i) {
    char number[32];
    std::snprintf(number, sizeof number, "%s%.10g", i ? ", " : "", t.value().flat(i));
    s += number;
  }
  return s + "]";
}

}  // namespace

int main(int argc, char** argv) {
  examples::describe(argc, argv, "Derivatives of the Rosenbrock function: gradient, a Hessian-vector product, and 20,000 steps of gradient descent.");
  std::printf("Rosenbrock function f(x, y) = (1 - x)^2 + 100 (y - x^2)^2, minimum f(1, 1) = 0\n");

  auto x = tg::TensorD::from({-1.5, 2.0}, /*requires_grad=*/true);
  const auto f = rosenbrock(x);
  f.backward();
  std::printf("at x = %s: f = %.10g\n", str(x).c_str(), f.item());
  std::printf("gradient = %s\n", str(x.grad()).c_str());

  // create_graph records the backward pass, so the gradient can itself be differentiated:
  // d/dx <grad f(x), v> = H v, without ever forming the Hessian H.
  const auto v = tg::TensorD::from({1.0, 0.0});
  const auto gradient = tg::grad({rosenbrock(x)}, {x}, {}, {.create_graph = true})[0];
  const auto hessian_v = tg::grad({tg::sum(gradient * v)}, {x})[0];
  std::printf("Hessian * %s = %s\n", str(v).c_str(), str(hessian_v).c_str());

  const double learning_rate = 1e-3;
  const int steps = 20000;
  std::printf("gradient descent, learning rate %g\n", learning_rate);
  for (int step = 0; step <= steps; ++step) {
    x.zero_grad();
    const auto loss = rosenbrock(x);
    loss.backward();
    if (step <= 1 || step % 2000 == 0)
      std::printf("step %5d: f = %-12.6g x = %s\n", step, loss.item(), str(x).c_str());
    tg::NoGradGuard no_grad;  // the update itself is not part of any graph
    x.mutable_value() -= learning_rate * x.grad().value();
  }
}
