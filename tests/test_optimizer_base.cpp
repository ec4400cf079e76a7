// What every optimizer shares: parameter groups, skipped parameters, zero_grad, versions, state
// round trips and option checks.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/optimizer_checks.hpp"

namespace {

namespace optim = tg::optim;
using tg::testing::message_contains;
using namespace tg::testing::optimizer_checks;

}  // namespace

BOOST_AUTO_TEST_SUITE(optimizer_base)

BOOST_AUTO_TEST_CASE(param_groups_have_their_own_options) {
  auto a = param({1.0}), b = param({1.0});
  optim::SGD opt({a}, {.lr = 0.1});
  opt.add_param_group({b}, {.lr = 0.01, .momentum = 0.9});
  BOOST_TEST(opt.num_param_groups() == 2u);
  BOOST_TEST(opt.lr(0) == 0.1);
  BOOST_TEST(opt.lr(1) == 0.01);
  tg::sum(a + b).backward();
  opt.step();
  expect_values(a, {0.9});
  expect_values(b, {0.99});
  opt.set_lr(1, 0.5);
  opt.step();  // same gradients; b's momentum buffer is 0.9 + 1 = 1.9
  expect_values(a, {0.8});
  expect_values(b, {0.99 - 0.5 * 1.9});
  BOOST_CHECK_THROW(opt.lr(2), tg::Error);
  BOOST_CHECK_THROW(opt.set_lr(0, -1.0), tg::Error);
}

BOOST_AUTO_TEST_CASE(params_without_grad_are_skipped) {
  auto used = param({1.0}), unused = param({2.0});
  auto frozen = tg::Tensor::from(floats({3.0}));
  optim::Adam opt({used, unused, frozen}, {.lr = 0.1, .weight_decay = 0.5});
  tg::sum(used * frozen).backward();
  BOOST_TEST(!unused.grad().defined());
  opt.step();
  BOOST_TEST(used.value()(0) < 1.0f);
  expect_values(unused, {2.0});
  expect_values(frozen, {3.0});
  const auto state = opt.state();
  BOOST_TEST(state.params.size() == 1u);
  BOOST_TEST(state.params.count(0) == 1u);
}

BOOST_AUTO_TEST_CASE(zero_grad_zeroes_or_unsets) {
  auto p = param({1.0, 2.0});
  optim::SGD opt({p}, {.lr = 0.1, .weight_decay = 1.0});
  tg::sum(p).backward();
  opt.zero_grad(false);
  BOOST_TEST_REQUIRE(p.grad().defined());
  expect_values(p.grad(), {0.0, 0.0});
  opt.step();  // a zero gradient is still a gradient: weight decay applies
  expect_values(p, {0.9, 1.8});
  opt.zero_grad();  // the default unsets
  BOOST_TEST(!p.grad().defined());
  opt.step();
  expect_values(p, {0.9, 1.8});
}

BOOST_AUTO_TEST_CASE(step_records_nothing_and_bumps_the_version) {
  auto p = param({1.0});
  optim::SGD opt({p}, {.lr = 0.1});
  tg::sum(p * p).backward();
  const auto version = p.version();
  opt.step();
  BOOST_TEST(p.version() > version);
  BOOST_TEST(p.is_leaf());
  BOOST_TEST(p.requires_grad());
}

BOOST_AUTO_TEST_CASE(state_round_trip_continues_identically) {
  auto p = param(p0);
  optim::Adam opt({p}, {.lr = 0.05, .amsgrad = true});
  for (int t = 0; t < 3; ++t) quadratic_step(opt, p);
  opt.set_lr(0, 0.02);
  const optim::OptimizerState state = opt.state();
  BOOST_TEST(state.lrs == std::vector<double>{0.02});
  BOOST_TEST_REQUIRE(state.params.count(0) == 1u);
  const auto& ps = state.params.at(0);
  BOOST_TEST(ps.step == 3);
  BOOST_TEST(ps.buffers.count("exp_avg") == 1u);
  BOOST_TEST(ps.buffers.count("exp_avg_sq") == 1u);
  BOOST_TEST(ps.buffers.count("max_exp_avg_sq") == 1u);

  auto q = tg::Tensor::from(p.value(), true);
  optim::Adam resumed({q}, {.lr = 0.05, .amsgrad = true});
  resumed.load_state(state);
  BOOST_TEST(resumed.lr(0) == 0.02);
  for (int t = 0; t < 3; ++t) {
    quadratic_step(opt, p);
    quadratic_step(resumed, q);
    BOOST_TEST(p.value() == q.value());
  }
}

BOOST_AUTO_TEST_CASE(load_state_rejects_what_does_not_fit) {
  auto p = param({1.0, 2.0});
  optim::SGD opt({p}, {.lr = 0.1, .momentum = 0.9});
  optim::OptimizerState two_groups{.lrs = {0.1, 0.2}, .params = {}};
  BOOST_CHECK_THROW(opt.load_state(two_groups), tg::Error);
  optim::OptimizerState bad_shape{.lrs = {0.5}, .params = {}};
  bad_shape.params[0].step = 1;
  bad_shape.params[0].buffers["momentum_buffer"] = floats({1.0, 2.0, 3.0});
  BOOST_CHECK_THROW(opt.load_state(bad_shape), tg::Error);
  optim::OptimizerState bad_position{.lrs = {0.5}, .params = {}};
  bad_position.params[1].step = 1;
  BOOST_CHECK_THROW(opt.load_state(bad_position), tg::Error);
  BOOST_TEST(opt.lr(0) == 0.1);  // unchanged by the failed loads
  BOOST_TEST(opt.state().params.empty());
}

BOOST_AUTO_TEST_CASE(invalid_options_and_params_are_rejected) {
  auto p = param({1.0});
  BOOST_CHECK_THROW(optim::SGD({p}, {.lr = -0.1}), tg::Error);
  BOOST_CHECK_THROW(optim::SGD({p}, {.lr = 0.1, .nesterov = true}), tg::Error);
  BOOST_CHECK_THROW(optim::SGD({p}, {.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}), tg::Error);
  BOOST_CHECK_THROW(optim::Adam({p}, {.betas = {0.9, 1.0}}), tg::Error);
  BOOST_CHECK_THROW(optim::AdamW({p}, {.eps = -1.0}), tg::Error);
  BOOST_CHECK_THROW(optim::RMSprop({p}, {.alpha = -0.5}), tg::Error);
  BOOST_CHECK_THROW(optim::Adagrad({p}, {.lr_decay = -1.0}), tg::Error);
  BOOST_CHECK_THROW(optim::SGD({p, p}), tg::Error);
  optim::SGD opt({p});
  BOOST_CHECK_THROW(opt.add_param_group({p}), tg::Error);
  BOOST_CHECK_THROW(optim::SGD({p * 2.0f}), tg::Error);
  BOOST_CHECK_THROW(optim::SGD({tg::Tensor()}), tg::Error);
  try {
    optim::Adam({p}, {.betas = {1.5, 0.999}});
    BOOST_ERROR("no error for beta 1.5");
  } catch (const tg::Error& e) {
    BOOST_TEST(std::string(e.what()).find("Adam") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("beta") != std::string::npos);
  }
}

// One check in the base for the fields optimizers share, naming the optimizer and the field.
BOOST_AUTO_TEST_CASE(shared_options_are_checked_once_for_every_optimizer) {
  auto p = param({1.0});
  const auto nan = std::nan("");
  BOOST_CHECK_EXCEPTION(optim::SGD({p}, {.lr = nan}), tg::Error, message_contains({"SGD: invalid learning rate"}));
  BOOST_CHECK_EXCEPTION(optim::Adam({p}, {.lr = -1}), tg::Error, message_contains({"Adam: invalid learning rate"}));
  BOOST_CHECK_EXCEPTION(optim::AdamW({p}, {.weight_decay = -1}), tg::Error,
                        message_contains({"AdamW: invalid weight_decay"}));
  BOOST_CHECK_EXCEPTION(optim::RMSprop({p}, {.momentum = -1}), tg::Error, message_contains({"RMSprop: invalid momentum"}));
  BOOST_CHECK_EXCEPTION(optim::Adagrad({p}, {.initial_accumulator_value = -1}), tg::Error,
                        message_contains({"Adagrad: invalid initial_accumulator_value"}));
  optim::SGD sgd({p});
  BOOST_CHECK_EXCEPTION(sgd.add_param_group({param({2.0})}, {.lr = -1}), tg::Error,
                        message_contains({"SGD: invalid learning rate"}));
  BOOST_TEST(sgd.num_param_groups() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
