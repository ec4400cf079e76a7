// PyBrain's quickstart session, line by line: each ">>>" line is what the PyBrain user typed,
// followed by the C++ that does it here and what it prints. The weights are random (PyBrain's
// standard normal draws), so the numbers differ from the tutorial's; the shapes do not.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

namespace {

void typed(const char* python) { std::printf(">>> %s\n", python); }

// A vector as numpy prints one: [0. 1.] or [0.6656323 0.3343677].
std::string numpy(const std::vector<float>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    char number[32];
    const float v = values[i];
    std::snprintf(number, sizeof number, v == static_cast<int>(v) ? "%.0f." : "%.8g", v);
    text.append(i ? " " : "").append(number);
  }
  return text + "]";
}

std::vector<float> row(const xt::xarray<float>& matrix, std::size_t i) {
  const std::size_t width = matrix.shape()[1];
  return {matrix.begin() + static_cast<std::ptrdiff_t>(i * width), matrix.begin() + static_cast<std::ptrdiff_t>((i + 1) * width)};
}

void print_array(const xt::xarray<float>& matrix) {
  if (matrix.shape()[0] == 0) {
    std::printf("array([], shape=(0, %zu))\n", matrix.shape()[1]);
    return;
  }
  for (std::size_t i = 0; i < matrix.shape()[0]; ++i)
    std::printf("%s%s%s\n", i ? "       " : "array([", numpy(row(matrix, i)).c_str(),
                i + 1 == matrix.shape()[0] ? "])" : ",");
}

void print_errors(const char* name, const std::vector<double>& errors) {
  std::printf("%s (%zu):", name, errors.size());
  for (const double e : errors) std::printf(" %.6f", e);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  examples::describe(argc, argv, "PyBrain's quickstart session, line by line, on tapegrad's PyBrain API.");
  using namespace tg::nn;
  manual_seed(2009);  // the year of PyBrain's quickstart

  typed("net = buildNetwork(2, 3, 1)");
  auto net = build_network({2, 3, 1});
  typed("net.activate([2, 1])");
  std::printf("array(%s)\n", numpy(net->activate({2, 1})).c_str());
  typed("net['in']");
  std::cout << (*net)["in"] << "\n";
  typed("net['hidden0']");
  std::cout << (*net)["hidden0"] << "\n";
  typed("net['out']");
  std::cout << (*net)["out"] << "\n";

  typed("net = buildNetwork(2, 3, 1, hiddenclass=TanhLayer)");
  net = build_network({2, 3, 1}, {.hidden = LayerKind::Tanh});
  typed("net['hidden0']");
  std::cout << (*net)["hidden0"] << "\n";
  typed("net = buildNetwork(2, 3, 2, hiddenclass=TanhLayer, outclass=SoftmaxLayer)");
  net = build_network({2, 3, 2}, {.hidden = LayerKind::Tanh, .out = LayerKind::Softmax});
  typed("net.activate((2, 3))");
  std::printf("array(%s)\n", numpy(net->activate({2, 3})).c_str());
  typed("net = buildNetwork(2, 3, 1, bias=True)");
  net = build_network({2, 3, 1}, {.bias = true});
  typed("net['bias']");
  std::cout << (*net)["bias"] << "\n";

  typed("ds = SupervisedDataSet(2, 1)");
  SupervisedDataSet ds(2, 1);
  const auto add_xor = [&ds] {
    typed("ds.addSample((0, 0), (0,))");
    ds.add_sample({0, 0}, {0});
    typed("ds.addSample((0, 1), (1,))");
    ds.add_sample({0, 1}, {1});
    typed("ds.addSample((1, 0), (1,))");
    ds.add_sample({1, 0}, {1});
    typed("ds.addSample((1, 1), (0,))");
    ds.add_sample({1, 1}, {0});
  };
  add_xor();
  typed("len(ds)");
  std::printf("%zu\n", ds.size());
  typed("for inpt, target in ds: print inpt, target");
  for (const auto& [input, target] : ds)
    std::printf("%s %s\n", numpy({input.begin(), input.end()}).c_str(), numpy({target.begin(), target.end()}).c_str());
  typed("ds['input']");
  print_array(ds["input"]);
  typed("ds['target']");
  print_array(ds["target"]);
  typed("ds.clear()");
  ds.clear();
  typed("ds['input']");
  print_array(ds["input"]);
  typed("ds['target']");
  print_array(ds["target"]);

  std::printf("# the tutorial trains on the XOR samples: they are added again\n");
  add_xor();
  typed("net = buildNetwork(2, 3, 1, bias=True, hiddenclass=TanhLayer)");
  net = build_network({2, 3, 1}, {.hidden = LayerKind::Tanh, .bias = true});
  typed("trainer = BackpropTrainer(net, ds)");
  BackpropTrainer trainer(*net, ds);
  typed("trainer.train()");
  std::printf("%.17g\n", trainer.train());
  typed("trainer.trainUntilConvergence()");
  const auto convergence = trainer.train_until_convergence();
  print_errors("training errors", convergence.train_errors);
  print_errors("validation errors", convergence.validation_errors);
  std::printf("best validation error %.6f after epoch %zu; its weights are restored\n",
              convergence.validation_errors[convergence.best_epoch], convergence.best_epoch);
}
