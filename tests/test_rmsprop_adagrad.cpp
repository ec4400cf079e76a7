// RMSprop and Adagrad against PyTorch's published update formulas. Expected values come from
// numbers worked out by hand or from scalar double loops written straight from the formulas,
// never from the code under test.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <vector>

#include "tapegrad.hpp"
#include "tests/optimizer_checks.hpp"

namespace {

namespace optim = tg::optim;
using namespace tg::testing::optimizer_checks;

// torch.optim.RMSprop, one element.
struct RmspropReference {
  double lr = 1e-2, alpha = 0.99, eps = 1e-8, weight_decay = 0.0, momentum = 0.0;
  bool centered = false;
  double square_avg = 0.0, grad_avg = 0.0, buf = 0.0;

  double update(double p, double g) {
    g += weight_decay * p;
    square_avg = alpha * square_avg + (1.0 - alpha) * g * g;
    double avg = 0.0;
    if (centered) {
      grad_avg = alpha * grad_avg + (1.0 - alpha) * g;
      avg = std::sqrt(square_avg - grad_avg * grad_avg) + eps;
    } else {
      avg = std::sqrt(square_avg) + eps;
    }
    if (momentum > 0.0) {
      buf = momentum * buf + g / avg;
      return p - lr * buf;
    }
    return p - lr * g / avg;
  }
};

// torch.optim.Adagrad, one element.
struct AdagradReference {
  double lr = 1e-2, lr_decay = 0.0, weight_decay = 0.0, sum = 0.0, eps = 1e-10;
  int t = 0;

  double update(double p, double g) {
    ++t;
    g += weight_decay * p;
    const double clr = lr / (1.0 + (t - 1) * lr_decay);
    sum += g * g;
    return p - clr * g / (std::sqrt(sum) + eps);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(optim_steps)

BOOST_AUTO_TEST_CASE(rmsprop_by_hand) {
  // g = 1: square_avg 0.01 -> step 0.01/0.1 = 0.1; square_avg 0.0199 -> step 0.01/sqrt(0.0199).
  auto p = param({1.0});
  optim::RMSprop opt({p}, {.lr = 0.01});
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.9});
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.8291119});
}

BOOST_AUTO_TEST_CASE(rmsprop_matches_formula) {
  auto p = param(p0);
  optim::RMSprop opt({p}, {.lr = 0.01});
  expect_trajectory(opt, p, RmspropReference{.lr = 0.01});
}

BOOST_AUTO_TEST_CASE(rmsprop_momentum_matches_formula) {
  auto p = param(p0);
  optim::RMSprop opt({p}, {.lr = 0.01, .alpha = 0.9, .momentum = 0.5});
  expect_trajectory(opt, p, RmspropReference{.lr = 0.01, .alpha = 0.9, .momentum = 0.5});
}

BOOST_AUTO_TEST_CASE(rmsprop_centered_matches_formula) {
  auto p = param(p0);
  optim::RMSprop opt({p}, {.lr = 0.01, .alpha = 0.9, .centered = true});
  expect_trajectory(opt, p, RmspropReference{.lr = 0.01, .alpha = 0.9, .centered = true});
}

BOOST_AUTO_TEST_CASE(rmsprop_all_options_match_formula) {
  auto p = param(p0);
  optim::RMSprop opt({p}, {.lr = 0.01, .alpha = 0.9, .eps = 1e-4, .weight_decay = 0.1, .momentum = 0.5,
                           .centered = true});
  expect_trajectory(opt, p,
                    RmspropReference{.lr = 0.01, .alpha = 0.9, .eps = 1e-4, .weight_decay = 0.1, .momentum = 0.5,
                                     .centered = true});
}

BOOST_AUTO_TEST_CASE(adagrad_by_hand) {
  // g = 1: the sum after t steps is t, so step t moves by 0.1/sqrt(t).
  auto p = param({1.0});
  optim::Adagrad opt({p}, {.lr = 0.1});
  const std::vector<double> expected = {0.9, 0.8292893, 0.7715543};
  for (int t = 0; t < 3; ++t) {
    constant_grad_step(opt, p, {1.0});
    expect_values(p, {expected[t]});
  }
}

BOOST_AUTO_TEST_CASE(adagrad_matches_formula) {
  auto p = param(p0);
  optim::Adagrad opt({p}, {.lr = 0.1});
  expect_trajectory(opt, p, AdagradReference{.lr = 0.1});
}

BOOST_AUTO_TEST_CASE(adagrad_lr_decay_matches_formula) {
  auto p = param(p0);
  optim::Adagrad opt({p}, {.lr = 0.1, .lr_decay = 0.5});
  expect_trajectory(opt, p, AdagradReference{.lr = 0.1, .lr_decay = 0.5});
}

BOOST_AUTO_TEST_CASE(adagrad_weight_decay_and_accumulator_match_formula) {
  auto p = param(p0);
  optim::Adagrad opt({p}, {.lr = 0.1, .weight_decay = 0.2, .initial_accumulator_value = 0.5, .eps = 1e-6});
  expect_trajectory(opt, p, AdagradReference{.lr = 0.1, .weight_decay = 0.2, .sum = 0.5, .eps = 1e-6});
}

BOOST_AUTO_TEST_SUITE_END()
