// Gradient clipping by norm (2, 1, infinity, any p) and by value, against numbers worked out by hand.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "tapegrad.hpp"
#include "tests/optimizer_checks.hpp"

namespace {

namespace optim = tg::optim;
using namespace tg::testing::optimizer_checks;

}  // namespace

BOOST_AUTO_TEST_SUITE(clipping)

BOOST_AUTO_TEST_CASE(clip_grad_norm_two_norm) {
  // sqrt(3^2 + 4^2 + 12^2) = 13; max 6.5 halves every gradient (up to the 1e-6 guard).
  auto a = param({0.0, 0.0}), b = param({0.0});
  set_grad(a, {3.0, 4.0});
  set_grad(b, {12.0});
  BOOST_TEST(close(optim::clip_grad_norm({a, b}, 6.5), 13.0, 1e-7));
  expect_values(a.grad(), {1.5, 2.0});
  expect_values(b.grad(), {6.0});
}

BOOST_AUTO_TEST_CASE(clip_grad_norm_inf_and_one_norms) {
  auto a = param({0.0, 0.0}), b = param({0.0});
  set_grad(a, {3.0, -4.0});
  set_grad(b, {2.0});
  BOOST_TEST(close(optim::clip_grad_norm({a, b}, 2.0, std::numeric_limits<double>::infinity()), 4.0, 1e-7));
  expect_values(a.grad(), {1.5, -2.0});
  expect_values(b.grad(), {1.0});
  set_grad(a, {3.0, -4.0});
  set_grad(b, {2.0});
  BOOST_TEST(close(optim::clip_grad_norm({a, b}, 4.5, 1.0), 9.0, 1e-7));
  expect_values(a.grad(), {1.5, -2.0});
  expect_values(b.grad(), {1.0});
  set_grad(a, {3.0, -4.0});
  set_grad(b, {2.0});
  // (27 + 64 + 8)^(1/3) = 99^(1/3)
  BOOST_TEST(close(optim::clip_grad_norm({a, b}, 100.0, 3.0), std::cbrt(99.0), 1e-6));
  expect_values(a.grad(), {3.0, -4.0});
}

BOOST_AUTO_TEST_CASE(clip_grad_norm_below_the_limit_changes_nothing) {
  auto a = param({0.0, 0.0}), b = param({0.0}), no_grad = param({0.0});
  set_grad(a, {3.0, 4.0});
  set_grad(b, {12.0});
  BOOST_TEST(close(optim::clip_grad_norm({a, b, no_grad}, 20.0), 13.0, 1e-7));
  expect_values(a.grad(), {3.0, 4.0});
  expect_values(b.grad(), {12.0});
  BOOST_TEST(!no_grad.grad().defined());
  BOOST_TEST(optim::clip_grad_norm({no_grad}, 1.0) == 0.0);
}

BOOST_AUTO_TEST_CASE(clip_grad_norm_scales_a_shared_gradient_once) {
  // sum(a + b) may hand one gradient tensor to both leaves, and the caller holds another handle.
  auto a = param({0.0, 0.0}), b = param({0.0, 0.0});
  tg::sum(a + b).backward();
  const tg::Tensor held = a.grad();
  BOOST_TEST(close(optim::clip_grad_norm({a, b}, 1.0), 2.0, 1e-7));
  expect_values(a.grad(), {0.5, 0.5});
  expect_values(b.grad(), {0.5, 0.5});
  expect_values(held, {1.0, 1.0});
}

BOOST_AUTO_TEST_CASE(clip_grad_value_clamps) {
  auto a = param({0.0, 0.0, 0.0}), no_grad = param({0.0});
  set_grad(a, {-3.0, 0.5, 2.0});
  optim::clip_grad_value({a, no_grad}, 1.0);
  expect_values(a.grad(), {-1.0, 0.5, 1.0});
  BOOST_TEST(!no_grad.grad().defined());
  BOOST_CHECK_THROW(optim::clip_grad_value({a}, -1.0), tg::Error);
  BOOST_CHECK_THROW(optim::clip_grad_norm({a}, 1.0, 0.0), tg::Error);
}

BOOST_AUTO_TEST_SUITE_END()
