#include "nn/data/sequential_dataset.hpp"

#include <algorithm>
#include <string>

#include "autograd/error.hpp"

namespace tg::nn {

SequentialDataSet::SequentialDataSet(std::size_t input_dim, std::size_t target_dim)
    : SupervisedDataSet(input_dim, target_dim) {}

void SequentialDataSet::new_sequence() {
  if (size() == 0) return;
  if (starts_.back() == size())
    throw Error("SequentialDataSet::new_sequence: sequence " + std::to_string(starts_.size() - 1) +
                " is empty; add a sample to it first");
  starts_.push_back(size());
}

void SequentialDataSet::clear() {
  SupervisedDataSet::clear();
  starts_ = {0};
}

std::size_t SequentialDataSet::num_sequences() const { return size() == 0 ? 0 : starts_.size(); }

std::size_t SequentialDataSet::sequence_length(std::size_t index) const {
  if (index >= num_sequences())
    throw Error("SequentialDataSet: sequence " + std::to_string(index) + " asked of " +
                std::to_string(num_sequences()) + " sequences");
  return (index + 1 < starts_.size() ? starts_[index + 1] : size()) - starts_[index];
}

SequentialDataSet::Sequence SequentialDataSet::sequence(std::size_t index) const {
  const std::size_t length = sequence_length(index);
  Sequence seq{xt::xarray<float>::from_shape({length, input_dim()}),
               xt::xarray<float>::from_shape({length, target_dim()})};
  for (std::size_t t = 0; t < length; ++t) {
    const Sample s = sample(starts_[index] + t);
    std::copy(s.input.begin(), s.input.end(), seq.inputs.data() + t * input_dim());
    std::copy(s.target.begin(), s.target.end(), seq.targets.data() + t * target_dim());
  }
  return seq;
}

std::vector<SequentialDataSet::Sequence> SequentialDataSet::sequences() const {
  std::vector<Sequence> all;
  for (std::size_t i = 0; i < num_sequences(); ++i) all.push_back(sequence(i));
  return all;
}

SequentialDataSet::Batch SequentialDataSet::batch(const std::vector<std::size_t>& indices) const {
  std::size_t steps = 0;
  for (std::size_t i : indices) steps = std::max(steps, sequence_length(i));
  const std::size_t B = indices.size();
  Batch b{xt::zeros<float>({steps, B, input_dim()}), xt::zeros<float>({steps, B, target_dim()}),
          xt::zeros<float>({steps, B, std::size_t(1)}), {}};
  for (std::size_t k = 0; k < B; ++k) {
    const Sequence seq = sequence(indices[k]);
    const std::size_t length = seq.inputs.shape()[0];
    b.lengths.push_back(length);
    for (std::size_t t = 0; t < length; ++t) {
      std::copy_n(seq.inputs.data() + t * input_dim(), input_dim(), b.inputs.data() + (t * B + k) * input_dim());
      std::copy_n(seq.targets.data() + t * target_dim(), target_dim(), b.targets.data() + (t * B + k) * target_dim());
      b.mask(t, k, 0) = 1.0f;
    }
  }
  return b;
}

}  // namespace tg::nn
