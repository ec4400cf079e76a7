#include "nn/train/samples.hpp"

#include "nn/data/rows.hpp"

namespace tg::nn::detail {
namespace {


// The column's values as T: float widened to double, double refused for a float model.
template <class T>
xt::xarray<T> values_as(const Column& column, const std::string& which) {
  if (const auto* floats = std::get_if<xt::xarray<float>>(&column)) return xt::xarray<T>(*floats);
  if (const auto* doubles = std::get_if<xt::xarray<double>>(&column)) {
    if constexpr (std::is_same_v<T, double>) return *doubles;
    else throw Error(which + " holds double values but the model computes in float (convert the data or build the model in double)");
  }
  throw Error(which + " holds class labels; a model's inputs are tensors");
}

}  // namespace

template <class T>
Samples<T>::Samples(const Data& data, const char* op, const char* what) {
  size_ = samples(data, op, what);
  const std::string prefix = std::string(op) + ": the " + what + " data's ";
  for (std::size_t k = 0; k < data.inputs.count(); ++k)
    inputs_.push_back(values_as<T>(data.inputs[k], prefix + "input column " + std::to_string(k)));
  for (std::size_t k = 0; k < data.targets.count(); ++k) {
    if (const auto* labels = std::get_if<Labels>(&data.targets[k])) targets_.emplace_back(*labels);
    else targets_.emplace_back(values_as<T>(data.targets[k], prefix + "target column " + std::to_string(k)));
  }
}

template <class T>
TensorBatch<T> Samples<T>::batch(std::span<const std::size_t> indices) const {
  TensorBatch<T> batch{.size = indices.size()};
  for (const auto& input : inputs_) batch.inputs.push_back(BasicTensor<T>::from(gather_rows(input, indices)));
  for (const auto& target : targets_) {
    if (const auto* labels = std::get_if<Labels>(&target)) batch.targets.emplace_back(gather_labels(*labels, indices));
    else batch.targets.emplace_back(BasicTensor<T>::from(gather_rows(std::get<xt::xarray<T>>(target), indices)));
  }
  return batch;
}

template class Samples<float>;
template class Samples<double>;

}  // namespace tg::nn::detail
