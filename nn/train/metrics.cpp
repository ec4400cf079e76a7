#include "nn/train/metrics.hpp"

#include <algorithm>

namespace tg::nn {
namespace {

// The rows of `t` as (rows, columns) of a row-major buffer.
std::pair<std::size_t, std::size_t> rows_columns(const Tensor& t, const char* what) {
  if (t.dim() == 0) throw Error(std::string("accuracy: the ") + what + " is a scalar");
  const std::size_t rows = t.value().shape()[0];
  return {rows, rows == 0 ? 0 : t.size() / rows};
}

std::size_t argmax_row(const float* row, std::size_t n) { return std::max_element(row, row + n) - row; }

}  // namespace

std::size_t correct_predictions(const Tensor& prediction, const Labels& labels) {
  const auto [rows, cols] = rows_columns(prediction, "prediction");
  if (rows != labels.size())
    throw Error("accuracy: " + std::to_string(rows) + " predictions but " + std::to_string(labels.size()) + " labels");
  std::size_t correct = 0;
  for (std::size_t i = 0; i < rows; ++i) correct += argmax_row(prediction.value().data() + i * cols, cols) == labels[i];
  return correct;
}

std::size_t correct_predictions(const Tensor& prediction, const Tensor& targets) {
  const auto [rows, cols] = rows_columns(prediction, "prediction");
  if (prediction.value().shape() != targets.value().shape())
    throw Error("accuracy: prediction shape " + shape_str(prediction.value().shape()) + " differs from target shape " +
                shape_str(targets.value().shape()));
  const float* p = prediction.value().data();
  const float* t = targets.value().data();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < rows; ++i)
    correct += cols == 1 ? (p[i] > 0.5f) == (t[i] > 0.5f)
                         : argmax_row(p + i * cols, cols) == argmax_row(t + i * cols, cols);
  return correct;
}

void check_metric(const std::string& name) {
  if (name != "accuracy") throw Error("fit: unknown metric '" + name + "' (known: accuracy)");
}

}  // namespace tg::nn
