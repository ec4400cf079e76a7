// PyBrain's XOR on its own API: buildNetwork(2, 3, 1, hiddenclass=TanhLayer, bias=True) trained
// sample by sample with BackpropTrainer(net, ds, learningrate=0.01, momentum=0.99), one
// trainer.train() per epoch, until the error has not improved for 100 epochs; then the best
// epoch's weights are put back and the network is activated on the four samples. From some
// starting weights (seed 42, for one) it sticks on a plateau near 0.13, as PyBrain's XOR is known
// to; seed 2009, used here, does not.
#include <cstdio>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

int main(int argc, char** argv) {
  examples::describe(argc, argv, "PyBrain's XOR on its own API: buildNetwork(2, 3, 1, hiddenclass=TanhLayer), BackpropTrainer until the error stops improving.");
  using namespace tg::nn;
  SupervisedDataSet ds(2, 1);
  ds.add_sample({0, 0}, {0});
  ds.add_sample({0, 1}, {1});
  ds.add_sample({1, 0}, {1});
  ds.add_sample({1, 1}, {0});

  manual_seed(2009);
  auto net = build_network({2, 3, 1}, {.hidden = LayerKind::Tanh, .bias = true});
  BackpropTrainer trainer(*net, ds, {.learningrate = 0.01, .momentum = 0.99});

  double best_error = 1e300;
  std::size_t best_epoch = 0, epoch = 0;
  StateDict best_weights = net->state_dict();
  while (epoch < 3000 && epoch < best_epoch + 100) {
    const double error = trainer.train();
    std::printf("epoch %4zu  train error: %.6f\n", ++epoch, error);
    if (error < best_error - 1e-6) best_error = error, best_epoch = epoch, best_weights = net->state_dict();
  }
  net->load_state_dict(best_weights);
  std::printf("converged after %zu epochs; best epoch %zu\n", epoch, best_epoch);

  for (const auto& [input, target] : ds) {
    const float answer = net->activate({input(0), input(1)})[0];
    std::printf("%g XOR %g -> %.4f (rounds to %d)\n", input(0), input(1), answer, answer > 0.5f);
  }
}
