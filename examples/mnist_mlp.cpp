// The MNIST perceptron of "Make Your Own Neural Network" (scripts/fetch_mnist.sh gets the data).
#include "examples/mlp_tutorial.hpp"

int main(int argc, char** argv) { return examples::run_mlp_tutorial("mnist_mlp", "data/mnist", argc, argv); }
