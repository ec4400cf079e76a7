#pragma once
// A data set's columns in a model's element type, cut into batches of tensors: what fit() and
// evaluate() feed the model. Internal to nn/train.
#include <cstddef>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nn/train/fit_data.hpp"
#include "nn/train/target_function.hpp"

namespace tg::nn::detail {

template <class T>
struct TensorBatch {
  std::vector<BasicTensor<T>> inputs;  // one per input column
  std::vector<Target<T>> targets;      // one per target column
  std::size_t size = 0;                // samples
};

template <class T>
class Samples {
 public:
  // Checks that every column has the same number of samples, that inputs hold values, and that
  // none holds double values for a float model; float values are widened for a double model.
  // `op` ("fit") and `what` ("training") name the data in errors.
  Samples(const Data& data, const char* op, const char* what);

  std::size_t size() const { return size_; }
  std::size_t target_count() const { return targets_.size(); }
  bool labels(std::size_t target) const { return std::holds_alternative<Labels>(targets_[target]); }
  TensorBatch<T> batch(std::span<const std::size_t> indices) const;

 private:
  std::vector<xt::xarray<T>> inputs_;
  std::vector<std::variant<xt::xarray<T>, Labels>> targets_;
  std::size_t size_ = 0;
};

extern template class Samples<float>;
extern template class Samples<double>;

}  // namespace tg::nn::detail
