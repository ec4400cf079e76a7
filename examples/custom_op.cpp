// A custom operation: swish(x) = x * sigmoid(x) recorded as one op with its own gradient rule,
// checked against finite differences (first and second derivatives), then used in a model
// that learns XOR.
#include <cstdio>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

// The rule is written with tg operations, so it is itself recorded under create_graph and
// swish has second derivatives (gradgradcheck) without a rule of its own for them.
template <class T>
tg::BasicTensor<T> swish(const tg::BasicTensor<T>& x) {
  const xt::xarray<T> s = T(1) / (T(1) + xt::exp(-x.value()));
  return tg::record<T>({.name = "swish", .inputs = {x}, .save = {x}}, x.value() * s,
                       [](const tg::BasicTensor<T>& g, const tg::Saved<T>& saved) {
                         const auto& x = saved[0];
                         const auto s = tg::sigmoid(x);
                         return tg::Grads<T>{g * (s + x * s * (T(1) - s))};
                       });
}

class Swish : public tg::nn::Module {
 public:
  tg::Tensor forward(const tg::Tensor& x) override { return swish(x); }
  std::string name() const override { return "Swish"; }
};

int main(int argc, char** argv) {
  examples::describe(argc, argv, "swish as a custom operation with its own gradient rule: gradchecked, gradgradchecked, then trained on XOR.");
  const auto x = tg::TensorD::from({{-2.0, -0.5, 0.0}, {0.3, 1.0, 2.5}}, true);
  const auto fn = [](const std::vector<tg::TensorD>& in) { return swish(in[0]); };
  std::printf("gradcheck of swish: %s\n", tg::gradcheck(fn, {x}) ? "passed" : "failed");
  std::printf("gradgradcheck of swish: %s\n", tg::gradgradcheck(fn, {x}) ? "passed" : "failed");

  const auto inputs = tg::Tensor::from({{0, 0}, {0, 1}, {1, 0}, {1, 1}});
  const auto targets = tg::reshape(tg::Tensor::from({0.0f, 1.0f, 1.0f, 0.0f}), {4, 1});
  tg::nn::Sequential model(tg::nn::Linear(2, 8), Swish(), tg::nn::Linear(8, 1));
  tg::optim::Adam optimizer(model.parameters(), {.lr = 0.05});
  for (int step = 1; step <= 500; ++step) {
    optimizer.zero_grad();
    auto loss = tg::nn::mse_loss(model(inputs), targets);
    loss.backward();
    optimizer.step();
    if (step == 1 || step % 100 == 0) std::printf("step %3d  loss %.6f\n", step, loss.item());
  }
  tg::NoGradGuard no_grad;
  const auto predictions = model(inputs).value();
  for (std::size_t i = 0; i < 4; ++i)
    std::printf("%g XOR %g -> %.3f (rounds to %d)\n", inputs.value()(i, 0), inputs.value()(i, 1), predictions(i, 0),
                predictions(i, 0) > 0.5f ? 1 : 0);
}
