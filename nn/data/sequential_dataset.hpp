#pragma once
// A data set of sequences in the manner of PyBrain's SequentialDataSet(indim, outdim): samples
// are added one at a time as in SupervisedDataSet, and new_sequence() marks where the next
// sequence starts. Sequences are read back one by one, or several at once padded to the
// longest and laid out steps first, with their lengths, as the recurrent layers take them.
//
//   tg::nn::SequentialDataSet ds(1, 1);
//   ds.new_sequence(); ds.add_sample({-1.0f}, {-1.0f}); ds.add_sample({1.0f}, {1.0f});
//   ds.new_sequence(); ds.add_sample({1.0f}, {1.0f});
//   for (const auto& seq : ds.sequences()) ...             // seq.inputs (steps, 1), seq.targets
//   auto batch = ds.batch({0, 1});                         // inputs (2, 2, 1), lengths {2, 1}
#include <cstddef>
#include <vector>

#include "nn/data/dataset.hpp"

namespace tg::nn {

class SequentialDataSet : public SupervisedDataSet {
 public:
  struct Sequence {
    xt::xarray<float> inputs;   // (steps, input_dim)
    xt::xarray<float> targets;  // (steps, target_dim)
  };
  // Sequences padded with zeros to the longest: inputs (S, B, input_dim), targets
  // (S, B, target_dim); mask (S, B, 1) is 1 at a sequence's real steps and 0 past its end.
  struct Batch {
    xt::xarray<float> inputs, targets, mask;
    std::vector<std::size_t> lengths;
  };

  SequentialDataSet(std::size_t input_dim, std::size_t target_dim);

  // Starts a new sequence; the first samples added belong to the first one without it. Ending
  // an empty sequence is an error, as in PyBrain.
  void new_sequence();
  void clear();

  std::size_t num_sequences() const;
  std::size_t sequence_length(std::size_t index) const;  // throws when index >= num_sequences()
  Sequence sequence(std::size_t index) const;
  std::vector<Sequence> sequences() const;
  Batch batch(const std::vector<std::size_t>& indices) const;

 private:
  std::vector<std::size_t> starts_ = {0};  // the first sample of each sequence
};

}  // namespace tg::nn
