#include "nn/data/dataset.hpp"

#include <algorithm>
#include <string>

#include "autograd/shape.hpp"
#include "nn/data/data_loader.hpp"

namespace tg::nn {

namespace {

void check_width(const xt::xarray<float>& values, std::size_t dim, const char* what) {
  if (values.size() != dim)
    throw Error(std::string("SupervisedDataSet::add_sample: ") + what + " has shape " + shape_str(values.shape()) +
                " (" + std::to_string(values.size()) + " values) but the dataset's " + what + " dimension is " +
                std::to_string(dim));
}

xt::xarray<float> rows(const std::vector<float>& values, std::size_t begin, std::size_t count, std::size_t dim) {
  auto out = xt::xarray<float>::from_shape({count, dim});
  std::copy_n(values.begin() + static_cast<std::ptrdiff_t>(begin * dim), count * dim, out.begin());
  return out;
}

}  // namespace

SupervisedDataSet::SupervisedDataSet(std::size_t input_dim, std::size_t target_dim)
    : input_dim_(input_dim), target_dim_(target_dim) {}

void SupervisedDataSet::add_sample(const xt::xarray<float>& input, const xt::xarray<float>& target) {
  check_width(input, input_dim_, "input");
  check_width(target, target_dim_, "target");
  inputs_.insert(inputs_.end(), input.begin(), input.end());
  targets_.insert(targets_.end(), target.begin(), target.end());
  ++size_;
}

SupervisedDataSet::Sample SupervisedDataSet::sample(std::size_t index) const {
  if (index >= size_)
    throw Error("SupervisedDataSet::sample: index " + std::to_string(index) + " out of range for " +
                std::to_string(size_) + " samples");
  Sample s{rows(inputs_, index, 1, input_dim_), rows(targets_, index, 1, target_dim_)};
  s.input.reshape({input_dim_});
  s.target.reshape({target_dim_});
  return s;
}

xt::xarray<float> SupervisedDataSet::inputs() const { return rows(inputs_, 0, size_, input_dim_); }

xt::xarray<float> SupervisedDataSet::targets() const { return rows(targets_, 0, size_, target_dim_); }

xt::xarray<float> SupervisedDataSet::operator[](const std::string& field) const {
  if (field == "input") return inputs();
  if (field == "target") return targets();
  throw Error("SupervisedDataSet: no field '" + field + "' (its fields are 'input' and 'target')");
}

std::pair<SupervisedDataSet, SupervisedDataSet> SupervisedDataSet::split_with_proportion(double proportion,
                                                                                          std::uint64_t seed) const {
  if (!(proportion >= 0 && proportion <= 1))
    throw Error("SupervisedDataSet::split_with_proportion: the proportion must be in [0, 1], got " +
                std::to_string(proportion));
  const auto chosen_count = static_cast<std::size_t>(static_cast<double>(size_) * proportion);
  std::vector<bool> chosen(size_, false);
  const auto order = shuffled_indices(size_, seed, 0);
  for (std::size_t i = 0; i < chosen_count; ++i) chosen[order[i]] = true;
  std::pair<SupervisedDataSet, SupervisedDataSet> parts{{input_dim_, target_dim_}, {input_dim_, target_dim_}};
  for (std::size_t i = 0; i < size_; ++i) {
    const Sample s = sample(i);
    (chosen[i] ? parts.first : parts.second).add_sample(s.input, s.target);
  }
  return parts;
}

void SupervisedDataSet::clear() {
  inputs_.clear();
  targets_.clear();
  size_ = 0;
}

}  // namespace tg::nn
