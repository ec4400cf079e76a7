#pragma once
// Metrics fit() and evaluate() report next to the loss.
#include <string>

#include "autograd/tensor.hpp"
#include "nn/labels.hpp"

namespace tg::nn {

// Correct predictions in a batch: the arg-max of each row against its label.
std::size_t correct_predictions(const Tensor& prediction, const Labels& labels);
// Against target rows: the arg-max of both, or, with one output column, both sides of 0.5.
std::size_t correct_predictions(const Tensor& prediction, const Tensor& targets);

// "accuracy" is the only metric so far; others are refused by name.
void check_metric(const std::string& name);

}  // namespace tg::nn
