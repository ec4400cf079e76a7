// Optimizers against PyTorch's published update formulas, learning-rate schedules, clipping.
// Expected values come from numbers worked out by hand, from scalar double loops written
// straight from the formulas, or from PyTorch (tests/lr_schedules.py), never from the code under test.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

namespace optim = tg::optim;
using tg::testing::message_contains;

xt::xarray<float> floats(const std::vector<double>& values) {
  xt::xarray<float> out = xt::zeros<float>({values.size()});
  for (std::size_t i = 0; i < values.size(); ++i) out(i) = static_cast<float>(values[i]);
  return out;
}

tg::Tensor param(const std::vector<double>& values) { return tg::Tensor::from(floats(values), true); }

// Sets a gradient directly, as if a backward pass had produced it.
void set_grad(tg::Tensor p, const std::vector<double>& values) { p.set_grad(tg::Tensor::from(floats(values))); }

bool close(double actual, double expected, double tolerance = 1e-5) {
  return std::abs(actual - expected) <= tolerance * (1.0 + std::abs(expected));
}

void expect_values(const tg::Tensor& t, const std::vector<double>& expected, double tolerance = 1e-5) {
  BOOST_TEST_REQUIRE(t.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    BOOST_TEST(close(t.value()(i), expected[i], tolerance),
               "element " << i << ": " << t.value()(i) << " != expected " << expected[i]);
}

// Constant gradient g: loss = sum(g * p).
void constant_grad_step(optim::Optimizer& opt, const tg::Tensor& p, const std::vector<double>& g) {
  opt.zero_grad();
  tg::sum(tg::Tensor::from(floats(g)) * p).backward();
  opt.step();
}

// The trajectory problem: loss = sum(c * p^2 + d * p), so each element's gradient is 2*c*p + d.
const std::vector<double> p0 = {1.0, -2.0, 0.5, 3.0, 0.0};
const std::vector<double> c = {0.5, 1.0, 2.0, 0.1, 1.0};
const std::vector<double> d = {0.3, -0.2, 0.0, 1.0, 0.0};

tg::Tensor quadratic_loss(const tg::Tensor& p) {
  return tg::sum(tg::Tensor::from(floats(c)) * tg::square(p) + tg::Tensor::from(floats(d)) * p);
}

void quadratic_step(optim::Optimizer& opt, const tg::Tensor& p) {
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

// Adam as in Kingma & Ba with PyTorch's eps placement; AMSGrad and AdamW's decoupled decay.
struct AdamReference {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
  bool amsgrad = false, decoupled = false;
  double m = 0.0, v = 0.0, v_max = 0.0;
  int t = 0;

  double update(double p, double g) {
    ++t;
    if (decoupled) p *= 1.0 - lr * weight_decay;
    else g += weight_decay * p;
    m = beta1 * m + (1.0 - beta1) * g;
    v = beta2 * v + (1.0 - beta2) * g * g;
    v_max = std::max(v_max, v);
    const double m_hat = m / (1.0 - std::pow(beta1, t));
    const double v_hat = (amsgrad ? v_max : v) / (1.0 - std::pow(beta2, t));
    return p - lr * m_hat / (std::sqrt(v_hat) + eps);
  }
};

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

BOOST_AUTO_TEST_CASE(adam_constant_gradient_by_hand) {
  // With a constant gradient the bias-corrected moments are exactly g and g^2: each step is lr*sign(g).
  auto p = param({1.0, 1.0});
  optim::Adam opt({p}, {.lr = 0.1});
  const std::vector<double> up = {0.9, 0.8, 0.7}, down = {1.1, 1.2, 1.3};
  for (int t = 0; t < 3; ++t) {
    constant_grad_step(opt, p, {1.0, -2.0});
    expect_values(p, {up[t], down[t]});
  }
}

BOOST_AUTO_TEST_CASE(adam_amsgrad_by_hand) {
  // betas 0.5, eps 0, gradients 1 then 0. Step 1: m = v = 0.5, corrections 0.5: p = 0.9.
  // Step 2: m = v = 0.25, corrections 0.75; Adam: 0.1/0.75*0.25/(0.5/sqrt(0.75)) = 0.0577350;
  // AMSGrad keeps v_max = 0.5: 0.1/0.75*0.25/(sqrt(0.5)/sqrt(0.75)) = 0.0408248.
  auto a = param({1.0}), b = param({1.0});
  optim::Adam adam({a}, {.lr = 0.1, .betas = {0.5, 0.5}, .eps = 0.0});
  optim::Adam amsgrad({b}, {.lr = 0.1, .betas = {0.5, 0.5}, .eps = 0.0, .amsgrad = true});
  for (auto* opt : {&adam, &amsgrad}) {
    const auto& p = opt == &adam ? a : b;
    set_grad(p, {1.0});
    opt->step();
    expect_values(p, {0.9});
    set_grad(p, {0.0});
    opt->step();
  }
  expect_values(a, {0.8422650});
  expect_values(b, {0.8591752});
}

BOOST_AUTO_TEST_CASE(adamw_by_hand) {
  // p *= 1 - 0.1*0.5 before each Adam step of -lr: 0.95 - 0.1 = 0.85, 0.85*0.95 - 0.1 = 0.7075.
  auto p = param({1.0});
  optim::AdamW opt({p}, {.lr = 0.1, .weight_decay = 0.5});
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.85});
  constant_grad_step(opt, p, {1.0});
  expect_values(p, {0.7075});
}

BOOST_AUTO_TEST_CASE(adam_matches_formula) {
  auto p = param(p0);
  optim::Adam opt({p}, {.lr = 0.05});
  expect_trajectory(opt, p, AdamReference{.lr = 0.05});
}

BOOST_AUTO_TEST_CASE(adam_betas_eps_match_formula) {
  auto p = param(p0);
  optim::Adam opt({p}, {.lr = 0.05, .betas = {0.8, 0.9}, .eps = 1e-3});
  expect_trajectory(opt, p, AdamReference{.lr = 0.05, .beta1 = 0.8, .beta2 = 0.9, .eps = 1e-3});
}

BOOST_AUTO_TEST_CASE(adam_weight_decay_matches_formula) {
  auto p = param(p0);
  optim::Adam opt({p}, {.lr = 0.05, .weight_decay = 0.3});
  expect_trajectory(opt, p, AdamReference{.lr = 0.05, .weight_decay = 0.3});
}

BOOST_AUTO_TEST_CASE(adam_amsgrad_matches_formula) {
  auto p = param(p0);
  optim::Adam opt({p}, {.lr = 0.3, .betas = {0.5, 0.9}, .amsgrad = true});
  expect_trajectory(opt, p, AdamReference{.lr = 0.3, .beta1 = 0.5, .beta2 = 0.9, .amsgrad = true}, 10);
}

BOOST_AUTO_TEST_CASE(adamw_matches_formula) {
  auto p = param(p0);
  optim::AdamW opt({p}, {.lr = 0.05, .weight_decay = 0.3});
  expect_trajectory(opt, p, AdamReference{.lr = 0.05, .weight_decay = 0.3, .decoupled = true});
}

BOOST_AUTO_TEST_CASE(adamw_default_decay_and_amsgrad_match_formula) {
  auto p = param(p0);
  optim::AdamW opt({p}, {.lr = 0.3, .betas = {0.5, 0.9}, .amsgrad = true});
  BOOST_TEST(opt.options(0).weight_decay == 1e-2);
  expect_trajectory(opt, p,
                    AdamReference{.lr = 0.3, .beta1 = 0.5, .beta2 = 0.9, .weight_decay = 1e-2, .amsgrad = true,
                                  .decoupled = true},
                    10);
}

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
