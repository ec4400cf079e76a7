// SGD against PyTorch's published update formula, and optimizers converging on a quadratic.
// Expected values come from numbers worked out by hand or from scalar double loops written
// straight from the formula, never from the code under test.
#include <boost/test/unit_test.hpp>

#include <limits>
#include <utility>
#include <vector>

#include "tapegrad.hpp"
#include "tests/optimizer_checks.hpp"

namespace {

namespace optim = tg::optim;
using namespace tg::testing::optimizer_checks;

// torch.optim.SGD, one element.
struct SgdReference {
  double lr = 0.0, momentum = 0.0, dampening = 0.0, weight_decay = 0.0;
  bool nesterov = false;
  double buf = 0.0;
  bool has_buf = false;

  double update(double p, double g) {
    g += weight_decay * p;
    if (momentum != 0.0) {
      buf = has_buf ? momentum * buf + (1.0 - dampening) * g : g;
      has_buf = true;
      g = nesterov ? g + momentum * buf : buf;
    }
    return p - lr * g;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(optim_steps)

BOOST_AUTO_TEST_CASE(sgd_by_hand) {
  auto p = param({1.0, -2.0});
  optim::SGD opt({p}, {.lr = 0.1});
  constant_grad_step(opt, p, {0.5, -1.0});
  expect_values(p, {0.95, -1.9});
  constant_grad_step(opt, p, {0.5, -1.0});
  expect_values(p, {0.9, -1.8});
}

BOOST_AUTO_TEST_CASE(sgd_momentum_nesterov_dampening_by_hand) {
  // g = 1: momentum buffers 1, 1.9, 2.71; nesterov steps 1 + 0.9*1 = 1.9, 1 + 0.9*1.9 = 2.71;
  // dampening 0.5 leaves the first buffer undamped: 1, then 0.9 + 0.5 = 1.4.
  auto a = param({1.0}), b = param({1.0}), e = param({1.0});
  optim::SGD momentum({a}, {.lr = 0.1, .momentum = 0.9});
  optim::SGD nesterov({b}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  optim::SGD dampened({e}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.5});
  const std::vector<double> expected_momentum = {0.9, 0.71, 0.439}, expected_nesterov = {0.81, 0.539};
  for (int t = 0; t < 3; ++t) {
    constant_grad_step(momentum, a, {1.0});
    expect_values(a, {expected_momentum[t]});
  }
  for (int t = 0; t < 2; ++t) {
    constant_grad_step(nesterov, b, {1.0});
    expect_values(b, {expected_nesterov[t]});
  }
  constant_grad_step(dampened, e, {1.0});
  expect_values(e, {0.9});
  constant_grad_step(dampened, e, {1.0});
  expect_values(e, {0.76});
}

BOOST_AUTO_TEST_CASE(sgd_weight_decay_by_hand) {
  // d = 1 + 0.1*p: 1.1 -> p = 0.89; 1.089 -> p = 0.7811.
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 0.1, .weight_decay = 0.1});
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.89});
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.7811});
}

BOOST_AUTO_TEST_CASE(sgd_plain_matches_formula) {
  auto p = param(p0);
  optim::SGD opt({p}, {.lr = 0.1});
  expect_trajectory(opt, p, SgdReference{.lr = 0.1});
}

BOOST_AUTO_TEST_CASE(sgd_momentum_matches_formula) {
  auto p = param(p0);
  optim::SGD opt({p}, {.lr = 0.1, .momentum = 0.9});
  expect_trajectory(opt, p, SgdReference{.lr = 0.1, .momentum = 0.9});
}

BOOST_AUTO_TEST_CASE(sgd_dampening_matches_formula) {
  auto p = param(p0);
  optim::SGD opt({p}, {.lr = 0.1, .momentum = 0.8, .dampening = 0.3});
  expect_trajectory(opt, p, SgdReference{.lr = 0.1, .momentum = 0.8, .dampening = 0.3});
}

BOOST_AUTO_TEST_CASE(sgd_nesterov_matches_formula) {
  auto p = param(p0);
  optim::SGD opt({p}, {.lr = 0.1, .momentum = 0.9, .nesterov = true});
  expect_trajectory(opt, p, SgdReference{.lr = 0.1, .momentum = 0.9, .nesterov = true});
}

BOOST_AUTO_TEST_CASE(sgd_weight_decay_matches_formula) {
  auto p = param(p0);
  optim::SGD opt({p}, {.lr = 0.1, .weight_decay = 0.2});
  expect_trajectory(opt, p, SgdReference{.lr = 0.1, .weight_decay = 0.2});
}

BOOST_AUTO_TEST_CASE(sgd_all_options_match_formula) {
  auto p = param(p0);
  optim::SGD opt({p}, {.lr = 0.05, .momentum = 0.7, .weight_decay = 0.1, .nesterov = true});
  expect_trajectory(opt, p, SgdReference{.lr = 0.05, .momentum = 0.7, .weight_decay = 0.1, .nesterov = true});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(training)

BOOST_AUTO_TEST_CASE(sgd_converges_on_a_quadratic) {
  // loss = sum((p - target)^2): each step multiplies the error by 1 - 2*lr = 0.8.
  auto p = param({5.0, -3.0, 2.0});
  const auto target = tg::Tensor::from(floats({1.0, 2.0, 3.0}));
  optim::SGD opt({p}, {.lr = 0.1});
  double previous = std::numeric_limits<double>::infinity();
  for (int step = 0; step < 100; ++step) {
    opt.zero_grad();
    auto loss = tg::sum(tg::square(p - target));
    BOOST_TEST(loss.item() <= previous);  // equal once float resolution is reached
    previous = loss.item();
    loss.backward();
    opt.step();
  }
  expect_values(p, {1.0, 2.0, 3.0}, 1e-5);
}

BOOST_AUTO_TEST_CASE(momentum_and_adam_converge_on_a_quadratic) {
  const auto target = tg::Tensor::from(floats({1.0, 2.0, 3.0}));
  auto a = param({5.0, -3.0, 2.0}), b = param({5.0, -3.0, 2.0});
  optim::SGD sgd({a}, {.lr = 0.05, .momentum = 0.9, .nesterov = true});
  optim::Adam adam({b}, {.lr = 0.1});
  for (int step = 0; step < 300; ++step) {
    for (auto [opt, p] : {std::pair<optim::Optimizer*, tg::Tensor>{&sgd, a}, {&adam, b}}) {
      opt->zero_grad();
      tg::sum(tg::square(p - target)).backward();
      opt->step();
    }
  }
  expect_values(a, {1.0, 2.0, 3.0}, 1e-4);
  expect_values(b, {1.0, 2.0, 3.0}, 1e-2);
}

BOOST_AUTO_TEST_SUITE_END()
