#include "nn/train/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tg::nn {
namespace {

// The rows of `t` as (rows, columns) of a row-major buffer.
template <class T>
std::pair<std::size_t, std::size_t> rows_columns(const BasicTensor<T>& t, const char* op, const char* what) {
  if (t.dim() == 0) throw Error(std::string(op) + ": the " + what + " is a scalar");
  const std::size_t rows = t.value().shape()[0];
  return {rows, rows == 0 ? 0 : t.size() / rows};
}

template <class T>
std::size_t argmax_row(const T* row, std::size_t n) {
  return std::max_element(row, row + n) - row;
}

void check_labels(const char* op, std::size_t rows, const Labels& labels) {
  if (rows != labels.size())
    throw Error(std::string(op) + ": " + std::to_string(rows) + " predictions but " + std::to_string(labels.size()) +
                " labels");
}

template <class T>
void check_same_shape(const char* op, const BasicTensor<T>& prediction, const BasicTensor<T>& targets) {
  if (prediction.value().shape() != targets.value().shape())
    throw Error(std::string(op) + ": prediction shape " + shape_str(prediction.value().shape()) +
                " differs from target shape " + shape_str(targets.value().shape()));
}

// Whether `label` is among the k largest of the n scores in `row` (ties count for the label).
template <class T>
bool in_top_k(const T* row, std::size_t n, std::size_t label, std::size_t k) {
  if (label >= n) return false;
  const auto larger = std::count_if(row, row + n, [&](T v) { return v > row[label]; });
  return static_cast<std::size_t>(larger) < k;
}

// The labels of target rows: each row's arg-max.
template <class T>
Labels argmax_labels(const BasicTensor<T>& targets) {
  const auto [rows, cols] = rows_columns(targets, "top_k_accuracy", "target");
  Labels labels(rows);
  for (std::size_t i = 0; i < rows; ++i) labels[i] = argmax_row(targets.value().data() + i * cols, cols);
  return labels;
}

// "top5_accuracy" -> 5; 0 when `name` is not of that form.
std::size_t top_k_of(const std::string& name) {
  constexpr std::string_view head = "top", tail = "_accuracy";
  if (name.size() <= head.size() + tail.size() || !name.starts_with(head) || !name.ends_with(tail)) return 0;
  std::size_t k = 0;
  const char* first = name.data() + head.size();
  const char* last = name.data() + name.size() - tail.size();
  const auto [end, error] = std::from_chars(first, last, k);
  return error == std::errc() && end == last ? k : 0;
}

// The named metrics, each giving the batch's sum.
struct AccuracyCount {
  template <class T, class Targets>
  double operator()(const BasicTensor<T>& prediction, const Targets& targets) const {
    return static_cast<double>(correct_predictions(prediction, targets));
  }
};
struct TopKCount {
  std::size_t k;
  template <class T, class Targets>
  double operator()(const BasicTensor<T>& prediction, const Targets& targets) const {
    return static_cast<double>(top_k_correct(prediction, targets, k));
  }
};
struct AbsoluteErrorSum {
  template <class T>
  double operator()(const BasicTensor<T>& prediction, const BasicTensor<T>& targets) const {
    return absolute_error_sum(prediction, targets);
  }
};

TargetFunction<Number> named_metric(const std::string& name) {
  if (name == "accuracy") return AccuracyCount{};
  if (name == "mae") return AbsoluteErrorSum{};
  if (const std::size_t k = top_k_of(name); k > 0) return TopKCount{k};
  throw Error("Metric: unknown metric '" + name +
              "' (known: accuracy, top<k>_accuracy, mae; or Metric(name, function) for your own)");
}

}  // namespace

template <class T>
std::size_t correct_predictions(const BasicTensor<T>& prediction, const Labels& labels) {
  const auto [rows, cols] = rows_columns(prediction, "accuracy", "prediction");
  check_labels("accuracy", rows, labels);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < rows; ++i) correct += argmax_row(prediction.value().data() + i * cols, cols) == labels[i];
  return correct;
}

template <class T>
std::size_t correct_predictions(const BasicTensor<T>& prediction, const BasicTensor<T>& targets) {
  const auto [rows, cols] = rows_columns(prediction, "accuracy", "prediction");
  check_same_shape("accuracy", prediction, targets);
  const T* p = prediction.value().data();
  const T* t = targets.value().data();
  std::size_t correct = 0;
  for (std::size_t i = 0; i < rows; ++i)
    correct += cols == 1 ? (p[i] > T(0.5)) == (t[i] > T(0.5))
                         : argmax_row(p + i * cols, cols) == argmax_row(t + i * cols, cols);
  return correct;
}

template <class T>
std::size_t top_k_correct(const BasicTensor<T>& prediction, const Labels& labels, std::size_t k) {
  const auto [rows, cols] = rows_columns(prediction, "top_k_accuracy", "prediction");
  check_labels("top_k_accuracy", rows, labels);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < rows; ++i) correct += in_top_k(prediction.value().data() + i * cols, cols, labels[i], k);
  return correct;
}

template <class T>
std::size_t top_k_correct(const BasicTensor<T>& prediction, const BasicTensor<T>& targets, std::size_t k) {
  check_same_shape("top_k_accuracy", prediction, targets);
  return top_k_correct(prediction, argmax_labels(targets), k);
}

template <class T>
double absolute_error_sum(const BasicTensor<T>& prediction, const BasicTensor<T>& targets) {
  const auto [rows, cols] = rows_columns(prediction, "mean_absolute_error", "prediction");
  check_same_shape("mean_absolute_error", prediction, targets);
  const T* p = prediction.value().data();
  const T* t = targets.value().data();
  double sum = 0;
  for (std::size_t i = 0; i < rows * cols; ++i) sum += std::abs(static_cast<double>(p[i]) - static_cast<double>(t[i]));
  return cols ? sum / static_cast<double>(cols) : 0.0;
}

template <class T>
double top_k_accuracy(const BasicTensor<T>& prediction, const Labels& labels, std::size_t k) {
  return labels.empty() ? 0.0 : static_cast<double>(top_k_correct(prediction, labels, k)) / labels.size();
}

template <class T>
double mean_absolute_error(const BasicTensor<T>& prediction, const BasicTensor<T>& targets) {
  const std::size_t rows = prediction.dim() ? prediction.value().shape()[0] : 0;
  return rows ? absolute_error_sum(prediction, targets) / static_cast<double>(rows) : 0.0;
}

Metric::Metric(const std::string& name) : name_(name), fn_(named_metric(name)), sums_(true) {}

template <class T>
double Metric::sum(const BasicTensor<T>& prediction, const Target<T>& target) const {
  const double value = fn_(prediction, target);
  if (sums_) return value;
  const std::size_t rows = prediction.dim() ? prediction.value().shape()[0] : 0;
  return value * static_cast<double>(rows);
}

#define TG_INSTANTIATE(T)                                                                               \
  template std::size_t correct_predictions(const BasicTensor<T>&, const Labels&);                       \
  template std::size_t correct_predictions(const BasicTensor<T>&, const BasicTensor<T>&);               \
  template std::size_t top_k_correct(const BasicTensor<T>&, const Labels&, std::size_t);                \
  template std::size_t top_k_correct(const BasicTensor<T>&, const BasicTensor<T>&, std::size_t);        \
  template double absolute_error_sum(const BasicTensor<T>&, const BasicTensor<T>&);                     \
  template double top_k_accuracy(const BasicTensor<T>&, const Labels&, std::size_t);                    \
  template double mean_absolute_error(const BasicTensor<T>&, const BasicTensor<T>&);                    \
  template double Metric::sum(const BasicTensor<T>&, const Target<T>&) const;
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg::nn
