#pragma once
// Hand-made features for small classifiers: histograms, a filter that keeps the columns that
// vary, and standardisation (the Fruit360 tutorial's hue-histogram pipeline).
#include <cstddef>
#include <vector>

#include <xtensor/xarray.hpp>

namespace tg::nn {

// Counts of `values` (any shape, read as a flat list) in `bins` equal bins, as
// numpy.histogram(values, bins)[0]: the bins span the values' minimum to maximum (min - 0.5 to
// max + 0.5 when they are equal, 0 to 1 when there are none), each bin holds the values from
// its left edge up to, not including, its right edge, and the last bin holds its right edge.
// NaN or infinite values are a tg::Error, as numpy refuses them.
xt::xarray<float> histogram(const xt::xarray<float>& values, std::size_t bins);

// The columns of `features` (N, F) whose standard deviation over the rows (numpy.std,
// ddof 0) is greater than `threshold`, in order: the tutorial keeps the hue bins with std > 50.
std::vector<std::size_t> columns_with_std_above(const xt::xarray<float>& features, double threshold);

// features[:, columns]
xt::xarray<float> select_columns(const xt::xarray<float>& features, const std::vector<std::size_t>& columns);

// Standardisation as scikit-learn's StandardScaler: each column's mean and standard deviation
// (ddof 0) measured on training rows, then (x - mean) / scale on any rows; a constant column
// has scale 1, so it becomes 0 instead of NaN.
struct Standardizer {
  xt::xarray<float> mean;   // (F)
  xt::xarray<float> scale;  // (F)

  static Standardizer fit(const xt::xarray<float>& features);             // (N, F), N >= 1
  xt::xarray<float> transform(const xt::xarray<float>& features) const;  // (M, F) -> (M, F)
};

}  // namespace tg::nn
