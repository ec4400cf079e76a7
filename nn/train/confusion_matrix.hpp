#pragma once
// Which classes a classifier mistakes for which: counts of (true class, predicted class).
#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/tensor.hpp"
#include "nn/labels.hpp"

namespace tg::nn {

// (num_classes, num_classes): entry (t, p) counts the samples of class t whose prediction row
// (scores or probabilities, (N, num_classes)) is largest at p, as sklearn.metrics.confusion_matrix.
// T = float or double.
template <class T>
xt::xarray<std::size_t> confusion_matrix(const BasicTensor<T>& prediction, const Labels& labels, std::size_t num_classes);

// The matrix as a table: a row per true class, a column per predicted class, headed by their names.
std::string format_confusion_matrix(const xt::xarray<std::size_t>& matrix, const std::vector<std::string>& classes);

}  // namespace tg::nn
