#include "nn/data/features.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/shape.hpp"

namespace tg::nn {

namespace {

void check_matrix(const xt::xarray<float>& features, const char* op) {
  if (features.dimension() != 2)
    throw Error(std::string(op) + ": expected features (N, F), got shape " + shape_str(features.shape()));
}

// Each column's mean and standard deviation (ddof 0), summed in double.
void column_moments(const xt::xarray<float>& features, std::vector<double>& mean, std::vector<double>& std) {
  const std::size_t rows = features.shape()[0], cols = features.shape()[1];
  mean.assign(cols, 0.0);
  std.assign(cols, 0.0);
  if (rows == 0) return;
  const float* x = features.data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) mean[c] += x[r * cols + c];
  for (double& m : mean) m /= static_cast<double>(rows);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) std[c] += (x[r * cols + c] - mean[c]) * (x[r * cols + c] - mean[c]);
  for (double& s : std) s = std::sqrt(s / static_cast<double>(rows));
}

}  // namespace

xt::xarray<float> histogram(const xt::xarray<float>& values, std::size_t bins) {
  if (bins == 0) throw Error("histogram: bins must be positive");
  xt::xarray<float> counts = xt::zeros<float>({bins});
  if (values.size() == 0) return counts;
  for (float v : values)
    if (!std::isfinite(v)) throw Error("histogram: the values hold " + std::to_string(v) + ": their range is not finite");
  const auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
  double first = *lo_it, last = *hi_it;
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  // numpy.linspace's edges: computed in double, stored in the values' float32, the last exactly `last`.
  std::vector<float> edges(bins + 1);
  const double step = (last - first) / static_cast<double>(bins);
  for (std::size_t i = 0; i < bins; ++i) edges[i] = static_cast<float>(static_cast<double>(i) * step + first);
  edges[bins] = static_cast<float>(last);
  for (float v : values) {
    // An estimate of the bin, then moved until the float32 edges agree, as numpy does.
    auto bin = static_cast<std::size_t>(std::clamp((v - first) / (last - first) * static_cast<double>(bins), 0.0,
                                                   static_cast<double>(bins - 1)));
    while (bin > 0 && v < edges[bin]) --bin;
    while (bin + 1 < bins && v >= edges[bin + 1]) ++bin;
    counts(bin) += 1.0f;
  }
  return counts;
}

std::vector<std::size_t> columns_with_std_above(const xt::xarray<float>& features, double threshold) {
  check_matrix(features, "columns_with_std_above");
  std::vector<double> mean, std;
  column_moments(features, mean, std);
  std::vector<std::size_t> kept;
  for (std::size_t c = 0; c < std.size(); ++c)
    if (std[c] > threshold) kept.push_back(c);
  return kept;
}

xt::xarray<float> select_columns(const xt::xarray<float>& features, const std::vector<std::size_t>& columns) {
  check_matrix(features, "select_columns");
  const std::size_t rows = features.shape()[0], cols = features.shape()[1];
  auto out = xt::xarray<float>::from_shape({rows, columns.size()});
  for (std::size_t j = 0; j < columns.size(); ++j)
    if (columns[j] >= cols)
      throw Error("select_columns: column " + std::to_string(columns[j]) + " is out of range for features of shape " +
                  shape_str(features.shape()));
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < columns.size(); ++j) out(r, j) = features(r, columns[j]);
  return out;
}

Standardizer Standardizer::fit(const xt::xarray<float>& features) {
  check_matrix(features, "Standardizer::fit");
  if (features.shape()[0] == 0) throw Error("Standardizer::fit: no rows to measure");
  std::vector<double> mean, std;
  column_moments(features, mean, std);
  Standardizer s{xt::zeros<float>({mean.size()}), xt::ones<float>({mean.size()})};
  for (std::size_t c = 0; c < mean.size(); ++c) {
    s.mean(c) = static_cast<float>(mean[c]);
    if (std[c] > 0) s.scale(c) = static_cast<float>(std[c]);
  }
  return s;
}

xt::xarray<float> Standardizer::transform(const xt::xarray<float>& features) const {
  check_matrix(features, "Standardizer::transform");
  if (features.shape()[1] != mean.size())
    throw Error("Standardizer::transform: features of shape " + shape_str(features.shape()) + " but it was fit on " +
                std::to_string(mean.size()) + " columns");
  xt::xarray<float> out = features;
  const std::size_t cols = mean.size();
  for (std::size_t i = 0; i < out.size(); ++i) out.data()[i] = (out.data()[i] - mean(i % cols)) / scale(i % cols);
  return out;
}

}  // namespace tg::nn
