#pragma once
// What the PyBrain network tests share: matrices written row by row, and the logistic function.
#include <cmath>
#include <cstddef>
#include <vector>

#include <xtensor/xadapt.hpp>

#include "tapegrad.hpp"

namespace tg::testing::pybrain {

// A (rows, cols) matrix from its values, row by row ({{x}} would be ambiguous to xtensor).
inline xt::xarray<float> matrix(std::size_t rows, std::size_t cols, const std::vector<float>& values) {
  xt::xarray<float> m = xt::adapt(values, std::vector<std::size_t>{rows, cols});
  return m;
}

inline double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

}  // namespace tg::testing::pybrain
