// The same perceptron on Fashion-MNIST (scripts/fetch_fashion_mnist.sh gets the data).
#include "examples/mlp_tutorial.hpp"

int main(int argc, char** argv) {
  return examples::run_mlp_tutorial("fashion_mnist_mlp", "data/fashion-mnist", argc, argv);
}
