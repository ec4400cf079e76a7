// Learning-rate schedules: sequences worked out by hand or from closed forms, and PyTorch's rates
// printed by tests/lr_schedules.py.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/optimizer_checks.hpp"

namespace {

namespace optim = tg::optim;
using tg::testing::message_contains;
using namespace tg::testing::optimizer_checks;

}  // namespace

BOOST_AUTO_TEST_SUITE(lr_schedules)

BOOST_AUTO_TEST_CASE(step_lr_sequence) {
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::StepLR schedule(opt, 2, 0.1);
  BOOST_TEST(schedule.last_epoch() == 0);
  BOOST_TEST(opt.lr() == 1.0);
  const std::vector<double> expected = {1.0, 0.1, 0.1, 0.01, 0.01, 0.001};
  for (double lr : expected) {
    schedule.step();
    BOOST_TEST(close(opt.lr(), lr, 1e-12));
    BOOST_TEST(close(schedule.last_lr()[0], lr, 1e-12));
  }
  BOOST_TEST(schedule.last_epoch() == 6);
}

BOOST_AUTO_TEST_CASE(exponential_lr_sequence_per_group) {
  auto a = param({1.0}), b = param({1.0});
  optim::SGD opt({a}, {.lr = 1.0});
  opt.add_param_group({b}, {.lr = 0.2});
  optim::ExponentialLR schedule(opt, 0.5);
  const std::vector<double> expected = {0.5, 0.25, 0.125};
  for (double lr : expected) {
    schedule.step();
    BOOST_TEST(close(opt.lr(0), lr, 1e-12));
    BOOST_TEST(close(opt.lr(1), 0.2 * lr, 1e-12));
  }
}

BOOST_AUTO_TEST_CASE(cosine_annealing_sequence) {
  // t_max 4, base 1, eta_min 0: (1 + cos(pi*t/4))/2, rising again after t = 4.
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::CosineAnnealingLR schedule(opt, 4);
  const std::vector<double> expected = {0.8535534, 0.5, 0.1464466, 0.0, 0.1464466, 0.5, 0.8535534, 1.0, 0.8535534};
  for (double lr : expected) {
    schedule.step();
    BOOST_TEST(std::abs(opt.lr() - lr) < 1e-7, "epoch " << schedule.last_epoch() << ": " << opt.lr() << " != " << lr);
  }
}

BOOST_AUTO_TEST_CASE(cosine_annealing_with_eta_min_matches_closed_form) {
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 0.3});
  optim::CosineAnnealingLR schedule(opt, 5, 0.01);
  for (int t = 1; t <= 23; ++t) {
    schedule.step();
    const double expected = 0.01 + (0.3 - 0.01) * (1.0 + std::cos(std::numbers::pi * t / 5.0)) / 2.0;
    BOOST_TEST(std::abs(opt.lr() - expected) < 1e-12, "epoch " << t << ": " << opt.lr() << " != " << expected);
  }
}

BOOST_AUTO_TEST_CASE(schedules_chain) {
  // Each works from the current rate: StepLR(2, 0.1) then ExponentialLR(0.5) give 0.5, 0.025.
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::StepLR step(opt, 2, 0.1);
  optim::ExponentialLR exponential(opt, 0.5);
  step.step();
  exponential.step();
  BOOST_TEST(close(opt.lr(), 0.5, 1e-12));
  step.step();
  exponential.step();
  BOOST_TEST(close(opt.lr(), 0.025, 1e-12));
}

BOOST_AUTO_TEST_CASE(schedule_lr_reaches_the_update) {
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::StepLR schedule(opt, 1, 0.5);
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.0});
  schedule.step();
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {-0.5});
}

BOOST_AUTO_TEST_CASE(plateau_patience_threshold_cooldown) {
  // mode min, rel threshold 0.1: 9.5 is no improvement on 10 (needs < 9); three bad epochs > patience 2
  // halve the lr; the two epochs after a reduction are cooldown and do not count; 8.0 < 0.9*9.5 improves.
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::ReduceLROnPlateau plateau(opt, {.factor = 0.5, .patience = 2, .threshold = 0.1, .cooldown = 2});
  const std::vector<double> metrics = {10.0, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 9.5, 8.0, 8.0, 8.0};
  const std::vector<double> lrs = {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25};
  for (std::size_t e = 0; e < metrics.size(); ++e) {
    plateau.step(metrics[e]);
    BOOST_TEST(opt.lr() == lrs[e], "epoch " << e + 1 << ": " << opt.lr() << " != " << lrs[e]);
    BOOST_TEST(plateau.last_lr()[0] == lrs[e]);
  }
  BOOST_TEST(plateau.best() == 8.0);
  BOOST_TEST(plateau.num_bad_epochs() == 1);
}

BOOST_AUTO_TEST_CASE(plateau_respects_min_lr) {
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::ReduceLROnPlateau plateau(opt, {.factor = 0.1, .patience = 0, .min_lr = 0.05});
  const std::vector<double> lrs = {1.0, 0.1, 0.05, 0.05};
  for (double lr : lrs) {
    plateau.step(1.0);
    BOOST_TEST(close(opt.lr(), lr, 1e-12));
  }
}

BOOST_AUTO_TEST_CASE(plateau_max_mode_absolute_threshold) {
  // mode max, abs threshold 0.5: 1.4 is no improvement on 1, 1.6 is; patience 1.
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  optim::ReduceLROnPlateau plateau(
      opt, {.mode = optim::PlateauMode::Max, .patience = 1, .threshold = 0.5, .threshold_mode = optim::ThresholdMode::Abs});
  const std::vector<double> metrics = {1.0, 1.4, 1.6, 1.7, 1.7};
  const std::vector<double> lrs = {1.0, 1.0, 1.0, 1.0, 0.1};
  for (std::size_t e = 0; e < metrics.size(); ++e) {
    plateau.step(metrics[e]);
    BOOST_TEST(close(opt.lr(), lrs[e], 1e-12), "epoch " << e + 1 << ": " << opt.lr() << " != " << lrs[e]);
  }
  BOOST_TEST(plateau.best() == 1.6);
}

// PyTorch 1.13's rates, printed by tests/lr_schedules.py.
BOOST_AUTO_TEST_CASE(linear_warmup_matches_pytorch) {
  const std::vector<double> linear_lr = {0.025, 0.043750000000000004, 0.06250000000000001, 0.08125000000000002,
                                         0.10000000000000002, 0.10000000000000002, 0.10000000000000002};
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 0.1});
  optim::LinearLR warmup(opt, 0.25, 1.0, 4);
  for (std::size_t t = 0; t < linear_lr.size(); ++t) {
    if (t) warmup.step();
    BOOST_TEST(close(opt.lr(), linear_lr[t], 1e-15), "step " << t << ": " << opt.lr() << " != " << linear_lr[t]);
  }
}

BOOST_AUTO_TEST_CASE(one_cycle_matches_pytorch) {
  const std::vector<double> one_cycle = {0.020000000000000018, 0.26, 0.5, 0.47524231600673683, 0.40587282697488153,
                                         0.30563101096814466, 0.19437098903185537, 0.09412917302511849,
                                         0.024759683993263143, 2e-06};
  const std::vector<double> one_cycle_linear = {0.1, 1.0, 0.8335, 0.667, 0.5005, 0.3340000000000001,
                                                0.16749999999999998, 0.0010000000000000009};
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 0.1});
  optim::OneCycleLR cycle(opt, 0.5, 10);
  for (std::size_t t = 0; t < one_cycle.size(); ++t) {
    if (t) cycle.step();
    BOOST_TEST(close(opt.lr(), one_cycle[t], 1e-15), "step " << t << ": " << opt.lr() << " != " << one_cycle[t]);
  }
  optim::SGD other({param({1.0})}, {.lr = 0.1});
  optim::OneCycleLR linear(other, 1.0, 8,
                           {.pct_start = 0.25, .anneal = optim::Anneal::Linear, .div_factor = 10, .final_div_factor = 100});
  for (std::size_t t = 0; t < one_cycle_linear.size(); ++t) {
    if (t) linear.step();
    BOOST_TEST(close(other.lr(), one_cycle_linear[t], 1e-15), "step " << t);
  }
  linear.step();  // step 8 = total_steps follows the last batch, as in PyTorch
  BOOST_TEST(other.lr() == 0.0);
  BOOST_CHECK_EXCEPTION(linear.step(), tg::Error, message_contains({"OneCycleLR", "total_steps is 8"}));
}

// A schedule built afresh continues exactly from another's state and the optimizer's rates.
BOOST_AUTO_TEST_CASE(schedule_state_round_trip_continues_identically) {
  auto p = param({1.0}), q = param({1.0});
  optim::SGD a({p}, {.lr = 0.3}), b({q}, {.lr = 0.7});
  optim::CosineAnnealingLR first(a, 6, 0.01);
  for (int t = 0; t < 4; ++t) first.step();
  optim::CosineAnnealingLR second(b, 6, 0.01);
  b.load_state(a.state());
  second.load_state(first.state());
  BOOST_TEST(second.last_epoch() == 4);
  for (int t = 0; t < 5; ++t) {
    first.step();
    second.step();
    BOOST_TEST(a.lr() == b.lr());
  }
  optim::SGD two_groups({param({1.0})});
  two_groups.add_param_group({param({2.0})});
  optim::StepLR mismatched(two_groups, 2);
  BOOST_CHECK_EXCEPTION(mismatched.load_state(first.state()), tg::Error,
                        message_contains({"StepLR", "1 parameter groups, the optimizer 2"}));
}

BOOST_AUTO_TEST_CASE(invalid_schedules_are_rejected) {
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 1.0});
  BOOST_CHECK_THROW(optim::StepLR(opt, 0), tg::Error);
  BOOST_CHECK_THROW(optim::CosineAnnealingLR(opt, 0), tg::Error);
  BOOST_CHECK_THROW(optim::ReduceLROnPlateau(opt, {.factor = 1.0}), tg::Error);
  BOOST_CHECK_THROW(optim::ReduceLROnPlateau(opt, {.patience = -1}), tg::Error);
  BOOST_CHECK_THROW(optim::LinearLR(opt, 0.0), tg::Error);
  BOOST_CHECK_THROW(optim::OneCycleLR(opt, 0.1, 0), tg::Error);
}

BOOST_AUTO_TEST_SUITE_END()
