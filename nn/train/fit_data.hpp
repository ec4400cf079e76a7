#pragma once
// What fit() and evaluate() train and measure on: data held in memory as columns of N samples
// each. A model with one input and one output takes one input column and one target column
// (`{x_train, y_train}`); a model with several takes one per input and one per output
// (`{{x1, x2}, {y, labels}}`).
#include <cstddef>
#include <initializer_list>
#include <variant>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nn/labels.hpp"

namespace tg::nn {

// One column, samples along axis 0: values in float or double (a model of either type takes
// either: float values are widened for a double model), or one class label per sample.
using Column = std::variant<xt::xarray<float>, xt::xarray<double>, Labels>;

// One column or several, in the order of the model's inputs or outputs.
class Columns {
 public:
  Columns() = default;
  Columns(xt::xarray<float> values) : columns_{std::move(values)} {}
  Columns(xt::xarray<double> values) : columns_{std::move(values)} {}
  Columns(Labels labels) : columns_{std::move(labels)} {}
  // Any xtensor expression (a view, a scaled array) is evaluated into a column.
  template <class E>
  Columns(const xt::xexpression<E>& values)
      : Columns(xt::xarray<typename E::value_type>(values.derived_cast())) {}
  Columns(std::initializer_list<Column> columns) : columns_(columns) {}
  explicit Columns(std::vector<Column> columns) : columns_(std::move(columns)) {}

  std::size_t count() const { return columns_.size(); }  // columns, not samples
  bool empty() const { return columns_.empty(); }
  const Column& operator[](std::size_t i) const { return columns_.at(i); }
  std::vector<Column>::const_iterator begin() const { return columns_.begin(); }
  std::vector<Column>::const_iterator end() const { return columns_.end(); }

 private:
  std::vector<Column> columns_;
};

struct Data {
  Columns inputs;
  Columns targets;
};

// Samples in a column: its first axis, or its labels.
std::size_t samples(const Column& column);
// Samples in every column of the data; throws naming `op`, `what` and the columns when they differ.
std::size_t samples(const Data& data, const char* op, const char* what);
// The samples [begin, end) of every column.
Data rows(const Data& data, std::size_t begin, std::size_t end);

}  // namespace tg::nn
