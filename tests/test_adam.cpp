// Adam, AdamW and AMSGrad against the published update formulas with PyTorch's eps placement.
// Expected values come from numbers worked out by hand or from scalar double loops written
// straight from the formulas, never from the code under test.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tapegrad.hpp"
#include "tests/optimizer_checks.hpp"

namespace {

namespace optim = tg::optim;
using namespace tg::testing::optimizer_checks;

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

}  // namespace

BOOST_AUTO_TEST_SUITE(optim_steps)

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

BOOST_AUTO_TEST_SUITE_END()
