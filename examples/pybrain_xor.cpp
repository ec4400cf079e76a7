// PyBrain's XOR: buildNetwork(2, 3, 1, hiddenclass=TanhLayer, bias=True) trained sample by sample
// with BackpropTrainer(learningrate=0.01, momentum=0.99) until the error stops improving.
#include <cstdio>
#include <memory>

#include "tapegrad.hpp"

int main() {
  tg::nn::SupervisedDataSet ds(2, 1);
  ds.add_sample({0, 0}, {0});
  ds.add_sample({0, 1}, {1});
  ds.add_sample({1, 0}, {1});
  ds.add_sample({1, 1}, {0});

  tg::nn::manual_seed(42);
  tg::nn::Sequential net(tg::nn::Linear(2, 3), tg::nn::Tanh(), tg::nn::Linear(3, 1));
  tg::optim::SGD trainer(net.parameters(), {.lr = 0.01, .momentum = 0.99});

  // PyBrain's error: half the squared error, averaged over samples.
  const auto error = [](const tg::Tensor& out, const tg::Tensor& target) {
    return 0.5f * tg::nn::mse_loss(out, target);
  };
  auto until_convergence = std::make_shared<tg::nn::EarlyStopping>(
      tg::nn::EarlyStoppingOptions{.monitor = "loss", .min_delta = 1e-6, .patience = 100, .restore_best_weights = true});
  const auto history = tg::nn::fit(net, error, trainer, {ds.inputs(), ds.targets()},
                                   {.epochs = 3000, .batch_size = 1, .seed = 7, .callbacks = {until_convergence},
                                    .verbosity = tg::nn::Verbosity::Silent});
  const auto errors = history.values("loss");
  for (std::size_t epoch = 0; epoch < errors.size(); ++epoch)
    std::printf("epoch %4zu  train error: %.6f\n", epoch + 1, errors[epoch]);
  std::printf("converged after %zu epochs; best epoch %zu\n", errors.size(), until_convergence->best_epoch() + 1);

  net.eval();
  tg::NoGradGuard no_grad;
  for (const auto& sample : ds) {
    const float answer = net(tg::Tensor::from(sample.input)).item();
    std::printf("%g XOR %g -> %.4f (rounds to %d)\n", sample.input(0), sample.input(1), answer, answer > 0.5f);
  }
}
