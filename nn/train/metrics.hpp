#pragma once
// Metrics: numbers fit() and evaluate() report next to the loss, averaged over the samples, and
// the functions behind the named ones. T = float or double.
#include <cstddef>
#include <string>

#include "autograd/tensor.hpp"
#include "nn/labels.hpp"
#include "nn/train/target_function.hpp"

namespace tg::nn {

// Correct predictions in a batch: the arg-max of each row against its label.
template <class T>
std::size_t correct_predictions(const BasicTensor<T>& prediction, const Labels& labels);
// Against target rows: the arg-max of both, or, with one output column, both sides of 0.5.
template <class T>
std::size_t correct_predictions(const BasicTensor<T>& prediction, const BasicTensor<T>& targets);
// Rows whose label (or target row's arg-max) is among the row's k largest scores.
template <class T>
std::size_t top_k_correct(const BasicTensor<T>& prediction, const Labels& labels, std::size_t k);
template <class T>
std::size_t top_k_correct(const BasicTensor<T>& prediction, const BasicTensor<T>& targets, std::size_t k);
// Each sample's mean |prediction - target| over its elements, summed over the samples.
template <class T>
double absolute_error_sum(const BasicTensor<T>& prediction, const BasicTensor<T>& targets);

// The fraction of rows whose label is among their k largest scores (k = 1: accuracy).
template <class T>
double top_k_accuracy(const BasicTensor<T>& prediction, const Labels& labels, std::size_t k);
// |prediction - target| averaged over every element, as Keras's "mae".
template <class T>
double mean_absolute_error(const BasicTensor<T>& prediction, const BasicTensor<T>& targets);

template <class T>
using Number = double;

// A metric: a named one, "accuracy", "top<k>_accuracy" (e.g. "top5_accuracy") or "mae", or a
// user's function of (prediction, target) returning the batch's mean, under its own name:
//   .metrics = {"accuracy", "top3_accuracy", tg::nn::Metric("max_error", max_error)}
class Metric {
 public:
  Metric(const char* name) : Metric(std::string(name)) {}
  Metric(const std::string& name);  // throws naming an unknown name and the known ones
  template <class F>
  Metric(std::string name, F batch_mean) : name_(std::move(name)), fn_(std::move(batch_mean)), sums_(false) {}

  const std::string& name() const { return name_; }
  template <class T>
  bool takes(bool labels) const {
    return fn_.template takes<T>(labels);
  }
  // The metric summed over the batch's samples.
  template <class T>
  double sum(const BasicTensor<T>& prediction, const Target<T>& target) const;

 private:
  std::string name_;
  TargetFunction<Number> fn_;
  bool sums_;  // a named metric gives the batch's sum, a user's its mean
};

}  // namespace tg::nn
