#include "nn/data/dataset.hpp"

#include <algorithm>
#include <string>

#include "autograd/shape.hpp"

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

void SupervisedDataSet::clear() {
  inputs_.clear();
  targets_.clear();
  size_ = 0;
}

}  // namespace tg::nn
