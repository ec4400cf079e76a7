// Post-accumulate-grad hooks: when backward() calls them and what gradient they see.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::TensorD;

}  // namespace

BOOST_AUTO_TEST_SUITE(grad_hooks)

BOOST_AUTO_TEST_CASE(hook_sees_every_contribution_summed) {
  // x feeds three uses: d(x*x + 3x)/dx = 2x + 3 = 9 at x = 3; the hook must run once, on 9.
  auto x = TensorD::from(xt::xarray<double>{3.0}, true);
  std::vector<double> seen;
  x.register_post_accumulate_grad_hook([&](const TensorD& leaf) { seen.push_back(leaf.grad().item()); });
  (x * x + 3.0 * x).backward();
  BOOST_TEST(seen == std::vector<double>{9.0});
}

BOOST_AUTO_TEST_CASE(hook_runs_before_the_sweep_reaches_earlier_layers) {
  // a is used first and b last: b's gradient is final while a's is not yet computed, which is
  // what lets data-parallel training send b's gradient during the rest of the backward pass.
  auto a = TensorD::from(xt::xarray<double>{2.0}, true);
  auto b = TensorD::from(xt::xarray<double>{5.0}, true);
  std::vector<std::string> events;
  a.register_post_accumulate_grad_hook([&](const TensorD& leaf) { events.push_back("a " + std::to_string(leaf.grad().item())); });
  b.register_post_accumulate_grad_hook([&](const TensorD&) {
    events.push_back(a.grad().defined() ? "b after a" : "b before a");
  });
  auto h = tg::tanh(a * 0.5);
  (h * b).backward();
  BOOST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0] == "b before a");
  // d(tanh(a/2) * b)/da = b * (1 - tanh(1)^2) / 2
  const double tanh1 = std::tanh(1.0);
  BOOST_TEST(events[1] == "a " + std::to_string(5.0 * (1 - tanh1 * tanh1) / 2));
}

BOOST_AUTO_TEST_CASE(hook_sees_the_accumulated_gradient_and_can_be_removed) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  std::vector<double> seen;
  const auto key = x.register_post_accumulate_grad_hook([&](const TensorD& leaf) { seen.push_back(tg::sum(leaf.grad()).item()); });
  tg::sum(x * 2.0).backward();
  tg::sum(x * 2.0).backward();  // accumulates into .grad: 4 + 4 per element
  x.remove_post_accumulate_grad_hook(key);
  tg::sum(x * 2.0).backward();
  BOOST_TEST(seen == (std::vector<double>{4.0, 8.0}));
}

BOOST_AUTO_TEST_CASE(hook_of_an_unreached_leaf_or_of_grad_does_not_run) {
  auto x = TensorD::from(xt::xarray<double>{1.0}, true);
  auto unused = TensorD::from(xt::xarray<double>{1.0}, true);
  int calls = 0;
  x.register_post_accumulate_grad_hook([&](const TensorD&) { ++calls; });
  unused.register_post_accumulate_grad_hook([&](const TensorD&) { calls += 100; });
  tg::grad({x * x}, {x});  // grad() leaves .grad alone, as PyTorch's autograd.grad
  BOOST_TEST(calls == 0);
  (x * x).backward();
  BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(hook_of_a_leaf_that_is_the_output_runs) {
  auto x = TensorD::from(xt::xarray<double>{4.0}, true);
  std::vector<double> seen;
  x.register_post_accumulate_grad_hook([&](const TensorD& leaf) { seen.push_back(leaf.grad().item()); });
  x.backward();
  BOOST_TEST(seen == std::vector<double>{1.0});
}

BOOST_AUTO_TEST_CASE(hook_on_a_computed_tensor_is_refused) {
  auto x = TensorD::from(xt::xarray<double>{1.0}, true);
  auto y = x * 2.0;
  BOOST_CHECK_EXCEPTION(y.register_post_accumulate_grad_hook([](const TensorD&) {}), tg::Error,
                        tg::testing::message_is("register_post_accumulate_grad_hook: only a leaf that requires grad "
                                                "accumulates a gradient"));
}

BOOST_AUTO_TEST_SUITE_END()
