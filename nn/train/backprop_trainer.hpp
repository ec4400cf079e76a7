#pragma once
// PyBrain's BackpropTrainer: trains a build_network network on a SupervisedDataSet by gradient
// descent on half the squared error, sample by sample in a shuffled order, as PyBrain does; on a
// SequentialDataSet, sequence by sequence, by backpropagation through time for a network that
// runs over time (each sample of a SupervisedDataSet is then a sequence of its own).
//
//   auto net = tg::nn::build_network({2, 3, 1}, {.hidden = tg::nn::LayerKind::Tanh});
//   tg::nn::BackpropTrainer trainer(*net, ds, {.learningrate = 0.01, .momentum = 0.99});
//   double error = trainer.train();                      // one epoch
//   auto [train_errors, validation_errors, best] = trainer.train_until_convergence();
//
// PyBrain's error: the sum over samples of 0.5 * sum((target - output)^2), divided by the number
// of target values (samples times outputs): with one output, the mean over samples.
// Each update is PyBrain's GradientDescent step: v = momentum * v - rate * (gradient +
// weightdecay * w); w += v; then rate *= lrdecay. It comes after every sample (or sequence), or
// once per epoch on the gradient summed over the epoch with batchlearning (where PyBrain forgets
// weightdecay; here it applies). A softmax output passes its error to its input unchanged, as
// PyBrain's SoftmaxLayer does.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nn/data/dataset.hpp"
#include "nn/data/sequential_dataset.hpp"
#include "nn/network.hpp"

namespace tg::nn {

struct BackpropOptions {
  double learningrate = 0.01, lrdecay = 1.0, momentum = 0.0, weightdecay = 0.0;
  bool batchlearning = false;
};

struct ConvergenceOptions {
  std::size_t max_epochs = 1000;
  std::size_t continue_epochs = 10;
  double validation_proportion = 0.25;
};

class BackpropTrainer {
 public:
  // The trainer keeps references to both: they must outlive it. Its shuffles are seeded from the
  // default generator (tg::nn::manual_seed).
  BackpropTrainer(Network& net, const SupervisedDataSet& data, const BackpropOptions& options = {});
  BackpropTrainer(Network& net, const SequentialDataSet& data, const BackpropOptions& options = {});

  double train();  // one epoch; returns PyBrain's error over it
  std::vector<double> train_epochs(std::size_t epochs);

  struct Convergence {
    std::vector<double> train_errors;       // one per epoch trained
    std::vector<double> validation_errors;  // before training, then one per epoch
    std::size_t best_epoch = 0;             // validation_errors[best_epoch] is the best; its weights are restored
  };
  // PyBrain's trainUntilConvergence: trains on a random 1 - validation_proportion of the data
  // (of the sequences of a SequentialDataSet) and, after each epoch, measures the rest. It stops after max_epochs, or when the last
  // continue_epochs validation errors are all above the continue_epochs before them, or all
  // equal; then the weights of the best validation error are restored. The first epoch's
  // weights count as best even if the untrained error was lower, as in PyBrain.
  Convergence train_until_convergence(const ConvergenceOptions& options = {});

  double test_on_data(const SupervisedDataSet& data);  // PyBrain's error, without training
  double test_on_data(const SequentialDataSet& data);

  double learningrate() const { return rate_; }  // after lrdecay
  std::size_t epochs() const { return epochs_; }

 private:
  std::size_t sequence_count() const;
  SequentialDataSet::Sequence sequence(std::size_t index) const;  // a sample alone without sequences
  double backpropagate(const SequentialDataSet::Sequence& sequence);  // its error; adds to .grad
  double test(const SupervisedDataSet& data, const SequentialDataSet* sequences);
  // PyBrain's splitWithProportion: a random int(n * proportion) of the n sequences (samples
  // without sequences, as sequences of one step: the samples split_with_proportion chooses),
  // drawn with `seed`, and the others, each in the order they were added.
  std::pair<SequentialDataSet, SequentialDataSet> split(double proportion, std::uint64_t seed) const;
  void step(const char* op);
  void check_data(const SupervisedDataSet& data, const char* op) const;

  Network& net_;
  const SupervisedDataSet* data_;
  const SequentialDataSet* sequences_;  // data_ when it is a SequentialDataSet, else null
  BackpropOptions options_;
  double rate_;
  std::vector<xt::xarray<float>> velocity_;  // per parameter
  std::uint64_t seed_;
  std::size_t epochs_ = 0;
};

}  // namespace tg::nn
