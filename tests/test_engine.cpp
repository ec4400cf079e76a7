// The tape itself: accumulation, graph shapes, memory, errors.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>

#include "autograd/node.hpp"
#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/memory_in_use.hpp"

namespace {

using tg::TensorD;
using tg::testing::memory_in_use;
using tg::testing::message_is;
namespace tt = boost::test_tools;

constexpr std::size_t MiB = 1024 * 1024;

}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(broadcast_add_by_hand) {
  xt::xarray<double> col = {1.0, 2.0, 3.0};
  col.reshape({3, 1});
  auto a = TensorD::from(col, true);
  auto b = TensorD::from(xt::xarray<double>{{10.0, 20.0, 30.0, 40.0}}, true);
  auto c = a + b;
  BOOST_TEST(c.value() == (xt::xarray<double>{{11, 21, 31, 41}, {12, 22, 32, 42}, {13, 23, 33, 43}}));
  tg::sum(c).backward();
  xt::xarray<double> four = {4.0, 4.0, 4.0};
  four.reshape({3, 1});
  BOOST_TEST(a.grad().value() == four);
  BOOST_TEST(b.grad().value() == (xt::xarray<double>{{3.0, 3.0, 3.0, 3.0}}));
}

BOOST_AUTO_TEST_CASE(diamond_graph_by_hand) {
  // x -> a = x*x and x -> b = x + 1, joined by c = a * b: dc/dx = 2x*b + a = 2*3*4 + 9 = 33.
  auto x = TensorD::from(xt::xarray<double>{3.0}, true);
  auto a = x * x;
  auto b = x + 1.0;
  auto c = a * b;
  BOOST_TEST(c.item() == 36.0);
  c.backward();
  BOOST_TEST(x.grad().item() == 33.0);
  BOOST_TEST(!a.grad().defined());  // only leaves accumulate
}

BOOST_AUTO_TEST_CASE(tensor_used_twice_by_hand) {
  // x used twice in one op (x*x) and again in another (+ x): d/dx sum(x*x + x) = 2x + 1.
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0, 3.0}, true);
  tg::sum(x * x + x).backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{3.0, 5.0, 7.0}));
}

BOOST_AUTO_TEST_CASE(unused_input_needs_allow_unused) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto y = TensorD::from(xt::xarray<double>{5.0}, true);
  auto out = tg::sum(x * 2.0);
  const auto grads = tg::grad({out}, {x, y}, {}, {.retain_graph = true, .allow_unused = true});
  BOOST_REQUIRE_EQUAL(grads.size(), 2u);
  BOOST_TEST(grads[0].value() == (xt::xarray<double>{2.0, 2.0}));
  BOOST_TEST(!grads[1].defined());
  BOOST_TEST(!x.grad().defined());  // grad() leaves .grad alone
  BOOST_CHECK_EXCEPTION(tg::grad({out}, {x, y}), tg::Error,
                        message_is("grad: input 1 was not used to compute the outputs; pass allow_unused = true to "
                                   "get an undefined gradient"));
}

BOOST_AUTO_TEST_CASE(chain_of_a_million_operations) {
  constexpr int length = 1000000;
  constexpr double factor = 1.000001;
  const std::size_t before = memory_in_use();
  auto x = TensorD::from(xt::xarray<double>{2.0}, true);
  std::weak_ptr<tg::Node<double>> first_node;
  std::size_t during = 0;
  {
    TensorD y = x;
    for (int i = 0; i < length; ++i) {
      y = y * factor;
      if (i == 0) first_node = y.grad_fn();
    }
    during = memory_in_use();
    y.backward();
    BOOST_TEST(y.item() == 2.0 * std::pow(factor, length), tt::tolerance(1e-8));
  }
  BOOST_TEST(x.grad().item() == std::pow(factor, length), tt::tolerance(1e-8));
  BOOST_TEST(first_node.expired());  // the whole chain was freed, without recursion
  const std::size_t after = memory_in_use();
  BOOST_TEST_MESSAGE("MiB in use before " << before / MiB << ", with the chain " << during / MiB << ", after "
                                            << after / MiB);
  BOOST_TEST(during > before + 20 * MiB);  // the chain really held memory ...
  BOOST_TEST(after < before + 8 * MiB);    // ... and gave it back
}

BOOST_AUTO_TEST_CASE(hessian_vector_product_via_create_graph) {
  // f(x) = x0^3 + x1^3 + x0*x1 at (1, 2): gradient (3x0^2 + x1, 3x1^2 + x0) = (5, 13),
  // Hessian [[6x0, 1], [1, 6x1]] = [[6, 1], [1, 12]], so H * (1, -1) = (5, -11).
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto v = TensorD::from(xt::xarray<double>{1.0, -1.0});
  auto f = tg::sum(tg::pow(x, 3.0)) + tg::sum(tg::slice(x, {{0, 1}}) * tg::slice(x, {{1, 2}}));
  const auto g = tg::grad({f}, {x}, {}, {.create_graph = true});
  BOOST_TEST(g[0].value() == (xt::xarray<double>{5.0, 13.0}));
  BOOST_TEST(g[0].requires_grad());
  const auto hv = tg::grad({tg::sum(g[0] * v)}, {x});
  BOOST_TEST(hv[0].value() == (xt::xarray<double>{5.0, -11.0}));
}

BOOST_AUTO_TEST_CASE(forward_passes_without_backward_stay_flat_in_memory) {
  auto w = TensorD::from(xt::xarray<double>{{0.5, -1.0}, {2.0, 0.25}}, true);
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0});
  auto pass = [&] { return tg::sum(tg::exp(w) * x + w).item(); };
  const double expected = std::exp(0.5) + 2 * std::exp(-1.0) + std::exp(2.0) + 2 * std::exp(0.25) + 1.75;
  for (int i = 0; i < 1000; ++i) pass();  // let the allocator settle
  const std::size_t before = memory_in_use();
  double total = 0;
  for (int i = 0; i < 100000; ++i) total += pass();
  const std::size_t after = memory_in_use();
  BOOST_TEST(total == 100000 * expected, tt::tolerance(1e-9));
  BOOST_TEST_MESSAGE("MiB in use before " << before / MiB << ", after 10^5 passes " << after / MiB);
  BOOST_TEST(after < before + 4 * MiB);
}

BOOST_AUTO_TEST_CASE(in_place_change_of_a_saved_tensor_is_refused) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto b = tg::exp(x);
  auto y = tg::sum(b * b);
  b.mutable_value()(0) = 5.0;
  BOOST_CHECK_EXCEPTION(y.backward(), tg::Error,
                        message_is("backward: a tensor saved by 'mul' was modified in place after it was saved "
                                   "(version 0, now 1); its gradient would be wrong"));
}

BOOST_AUTO_TEST_CASE(in_place_change_of_a_leaf_is_refused) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto y = tg::sum(x * x);
  BOOST_CHECK_EXCEPTION(x.mutable_value(), tg::Error,
                        message_is("mutable_value: a leaf tensor that requires grad can only be changed in place "
                                   "under NoGradGuard"));
  {
    tg::NoGradGuard no_grad;
    x.mutable_value()(1) = 3.0;  // an optimizer step in the middle of a backward's life
  }
  BOOST_TEST(x.version() == 1u);
  BOOST_CHECK_EXCEPTION(y.backward(), tg::Error,
                        message_is("backward: a tensor saved by 'mul' was modified in place after it was saved "
                                   "(version 0, now 1); its gradient would be wrong"));
}

BOOST_AUTO_TEST_CASE(backward_twice_needs_retain_graph) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto y = tg::sum(x * x);
  y.backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{2.0, 4.0}));
  BOOST_CHECK_EXCEPTION(y.backward(), tg::Error,
                        message_is("backward: the graph through 'sum' was already freed by an earlier backward; pass "
                                   "retain_graph = true to sweep it twice"));
}

BOOST_AUTO_TEST_CASE(retain_graph_allows_a_second_backward_that_accumulates) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto y = tg::sum(x * x);
  y.backward({.retain_graph = true});
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{2.0, 4.0}));
  y.backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{4.0, 8.0}));
}

BOOST_AUTO_TEST_CASE(no_grad_guard_records_nothing) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  {
    tg::NoGradGuard no_grad;
    auto y = x * 2.0;
    BOOST_TEST(y.value() == (xt::xarray<double>{2.0, 4.0}));
    BOOST_TEST(!y.requires_grad());
    BOOST_TEST(y.is_leaf());
    BOOST_CHECK_EXCEPTION(tg::sum(y).backward(), tg::Error,
                          message_is("backward: output 0 does not require grad (nothing it was computed from "
                                     "requires grad)"));
    {
      tg::GradModeGuard enabled(true);
      BOOST_TEST((x * 2.0).requires_grad());
    }
    BOOST_TEST(!tg::GradMode::enabled());
  }
  BOOST_TEST(tg::GradMode::enabled());
  BOOST_TEST((x * 2.0).requires_grad());
}

BOOST_AUTO_TEST_CASE(detach_cuts_the_history) {
  // d/dx sum(detach(x*x) * x) = x*x, not 3x^2.
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto y = x * x;
  auto d = y.detach();
  BOOST_TEST(!d.requires_grad());
  BOOST_TEST(d.is_leaf());
  BOOST_TEST(d.value() == y.value());
  tg::sum(d * x).backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{1.0, 4.0}));
}

BOOST_AUTO_TEST_CASE(zero_grad_restarts_accumulation) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  x.zero_grad();
  BOOST_TEST(!x.grad().defined());  // nothing to zero yet
  tg::sum(x * x).backward();
  tg::sum(x * x).backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{4.0, 8.0}));
  x.zero_grad();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{0.0, 0.0}));
  tg::sum(x * 3.0).backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{3.0, 3.0}));
}

BOOST_AUTO_TEST_CASE(set_requires_grad_on_a_non_leaf_is_refused) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0});
  x.set_requires_grad(true);
  auto y = x * x;
  BOOST_CHECK_EXCEPTION(y.set_requires_grad(false), tg::Error,
                        message_is("set_requires_grad: only a leaf tensor's flag can change; this one was computed "
                                   "by 'mul' (use detach())"));
  BOOST_TEST(y.requires_grad());
}

BOOST_AUTO_TEST_SUITE_END()
