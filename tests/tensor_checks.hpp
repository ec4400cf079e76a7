#pragma once
// Small helpers of the module and layer tests: the names of named tensors, a value set without
// recording, plain statistics of values, and comparisons that print what differs.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "tapegrad.hpp"

namespace tg::testing {

inline std::vector<std::string> names_of(const std::vector<nn::Module::NamedTensor>& named) {
  std::vector<std::string> names;
  for (const auto& [name, tensor] : named) names.push_back(name);
  return names;
}

inline void set_value(tg::Tensor t, xt::xarray<float> value) {
  tg::NoGradGuard no_grad;
  t.mutable_value() = std::move(value);
}

inline double mean_of(const xt::xarray<float>& v) {
  double s = 0;
  for (float x : v) s += x;
  return s / static_cast<double>(v.size());
}

inline double variance_of(const xt::xarray<float>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (float x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size());
}

inline double max_abs(const xt::xarray<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, std::abs(static_cast<double>(x)));
  return m;
}

inline void expect_close(const xt::xarray<float>& actual, const xt::xarray<float>& expected, const std::string& what,
                         double tol = 1e-5) {
  BOOST_TEST_REQUIRE(tg::shape_str(actual.shape()) == tg::shape_str(expected.shape()), what);
  for (std::size_t i = 0; i < actual.size(); ++i)
    BOOST_TEST(std::abs(actual.data()[i] - expected.data()[i]) <= tol,
               what << " at flat " << i << ": " << actual.data()[i] << " vs " << expected.data()[i]);
}

inline bool contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return true;
  BOOST_TEST_MESSAGE("'" << part << "' is not in\n" << text);
  return false;
}

}  // namespace tg::testing
