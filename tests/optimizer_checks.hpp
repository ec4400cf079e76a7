#pragma once
// Parameters, gradients and the quadratic trajectory problem the optimizer tests share.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "tapegrad.hpp"

namespace tg::testing::optimizer_checks {

inline xt::xarray<float> floats(const std::vector<double>& values) {
  xt::xarray<float> out = xt::zeros<float>({values.size()});
  for (std::size_t i = 0; i < values.size(); ++i) out(i) = static_cast<float>(values[i]);
  return out;
}

inline tg::Tensor param(const std::vector<double>& values) { return tg::Tensor::from(floats(values), true); }

// Sets a gradient directly, as if a backward pass had produced it.
inline void set_grad(tg::Tensor p, const std::vector<double>& values) { p.set_grad(tg::Tensor::from(floats(values))); }

inline bool close(double actual, double expected, double tolerance = 1e-5) {
  return std::abs(actual - expected) <= tolerance * (1.0 + std::abs(expected));
}

inline void expect_values(const tg::Tensor& t, const std::vector<double>& expected, double tolerance = 1e-5) {
  BOOST_TEST_REQUIRE(t.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    BOOST_TEST(close(t.value()(i), expected[i], tolerance),
               "element " << i << ": " << t.value()(i) << " != expected " << expected[i]);
}

// Constant gradient g: loss = sum(g * p).
inline void constant_grad_step(optim::Optimizer& opt, const tg::Tensor& p, const std::vector<double>& g) {
  opt.zero_grad();
  tg::sum(tg::Tensor::from(floats(g)) * p).backward();
  opt.step();
}

// The trajectory problem: loss = sum(c * p^2 + d * p), so each element's gradient is 2*c*p + d.
inline const std::vector<double> p0 = {1.0, -2.0, 0.5, 3.0, 0.0};
inline const std::vector<double> c = {0.5, 1.0, 2.0, 0.1, 1.0};
inline const std::vector<double> d = {0.3, -0.2, 0.0, 1.0, 0.0};

inline tg::Tensor quadratic_loss(const tg::Tensor& p) {
  return tg::sum(tg::Tensor::from(floats(c)) * tg::square(p) + tg::Tensor::from(floats(d)) * p);
}

inline void quadratic_step(optim::Optimizer& opt, const tg::Tensor& p) {
  opt.zero_grad();
  quadratic_loss(p).backward();
  opt.step();
}

// Runs `steps` steps of `opt` (built on `p`, which starts at p0) with gradients from the tape, and
// after each step compares every element with `reference.update(p, g)` run in double, one copy
// of the reference (and so of its state) per element.
template <class Reference>
void expect_trajectory(optim::Optimizer& opt, const tg::Tensor& p, const Reference& reference, int steps = 6) {
  std::vector<Reference> references(p0.size(), reference);
  std::vector<double> expected = p0;
  for (int t = 1; t <= steps; ++t) {
    quadratic_step(opt, p);
    for (std::size_t i = 0; i < p0.size(); ++i) {
      expected[i] = references[i].update(expected[i], 2.0 * c[i] * expected[i] + d[i]);
      BOOST_TEST(close(p.value()(i), expected[i]),
                 "step " << t << ", element " << i << ": " << p.value()(i) << " != expected " << expected[i]);
    }
  }
}

}  // namespace tg::testing::optimizer_checks
