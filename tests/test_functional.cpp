// tg::jacobian, tg::hessian and tg::hvp against torch.autograd.functional's numbers
// (tests/functional_torch.py wrote them), and what they do at the edges.
#include <boost/test/unit_test.hpp>

#include <xtensor/xadapt.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/functional_torch.hpp"

namespace {

using tg::TensorD;
using tg::testing::message_is;
namespace torch = tg::testing::torch_functional;

TensorD tensor(const torch::Array& a) { return TensorD::from(xt::xarray<double>(xt::adapt(a.values, a.shape))); }

void expect_close(const TensorD& got, const torch::Array& want) {
  BOOST_TEST(got.shape() == want.shape);
  BOOST_REQUIRE_EQUAL(got.size(), want.values.size());
  for (std::size_t i = 0; i < want.values.size(); ++i)
    BOOST_TEST(got.value().data()[i] == want.values[i], boost::test_tools::tolerance(1e-12));
}

// The functions of tests/functional_torch.py, in tg operations.
TensorD softmax_scaled(const TensorD& x) { return tg::softmax(x, -1) * tg::sum(x * x); }
TensorD lse_cubes(const TensorD& x) { return tg::logsumexp(x) * tg::sum(tg::pow(x, 3.0)) + tg::sum(tg::tanh(x)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(functional)

BOOST_AUTO_TEST_CASE(jacobian_matches_pytorch) {
  expect_close(tg::jacobian(softmax_scaled, tensor(torch::softmax_scaled_x)), torch::softmax_scaled_jacobian);
}

BOOST_AUTO_TEST_CASE(hessian_matches_pytorch) {
  expect_close(tg::hessian(lse_cubes, tensor(torch::lse_cubes_x)), torch::lse_cubes_hessian);
}

BOOST_AUTO_TEST_CASE(hvp_matches_pytorch_and_the_hessian_times_v) {
  const TensorD x = tensor(torch::lse_cubes_x), v = tensor(torch::lse_cubes_v);
  const TensorD hv = tg::hvp(lse_cubes, x, v);
  expect_close(hv, torch::lse_cubes_hvp);
  const TensorD h = tg::hessian(lse_cubes, x);
  const TensorD product = tg::reshape(tg::matmul(tg::reshape(h, {4, 4}), tg::reshape(v, {4})), {2, 2});
  BOOST_TEST(hv.value() == product.value(), boost::test_tools::tolerance(1e-12) << boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(results_are_plain_values_and_x_is_left_alone) {
  auto x = TensorD::from(xt::xarray<double>{0.5, -1.0}, true);
  const auto jac = tg::jacobian<double>([](const TensorD& t) { return tg::exp(t) * 2.0; }, x);
  BOOST_TEST(!jac.requires_grad());
  BOOST_TEST(!x.grad().defined());
  BOOST_TEST(jac.value() == (xt::xarray<double>{{2 * std::exp(0.5), 0.0}, {0.0, 2 * std::exp(-1.0)}}),
             boost::test_tools::tolerance(1e-15) << boost::test_tools::per_element());
  // x need not require grad, and a float x works the same.
  const auto h = tg::hessian<float>([](const tg::Tensor& t) { return tg::sum(tg::pow(t, 3.0f)); },
                                    tg::Tensor::from(xt::xarray<float>{1.0f, 2.0f}));
  BOOST_TEST(h.value() == (xt::xarray<float>{{6.0f, 0.0f}, {0.0f, 12.0f}}));
}

BOOST_AUTO_TEST_CASE(parts_that_do_not_depend_on_x_are_zero) {
  const auto x = TensorD::from(xt::xarray<double>{1.0, 2.0});
  const auto constant = tg::jacobian<double>([](const TensorD&) { return TensorD::from({3.0}); }, x);
  BOOST_TEST(constant.shape() == tg::Shape({1, 2}));
  BOOST_TEST(constant.value() == (xt::xarray<double>{{0.0, 0.0}}));
  // A linear function has no second derivative at all.
  const auto linear = [](const TensorD& t) { return tg::sum(t * 3.0); };
  BOOST_TEST(tg::hessian<double>(linear, x).value() == (xt::xarray<double>{{0.0, 0.0}, {0.0, 0.0}}));
  BOOST_TEST(tg::hvp<double>(linear, x, x).value() == (xt::xarray<double>{0.0, 0.0}));
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_named) {
  const auto x = TensorD::from(xt::xarray<double>{1.0, 2.0});
  const auto elementwise = [](const TensorD& t) { return tg::exp(t); };
  BOOST_CHECK_EXCEPTION(tg::hessian<double>(elementwise, x), tg::Error,
                        message_is("hessian: f must return a one-element tensor; it returned shape (2)"));
  BOOST_CHECK_EXCEPTION(tg::hvp<double>(lse_cubes, x, TensorD::from({1.0})), tg::Error,
                        message_is("hvp: v has shape (1) but x has shape (2)"));
  BOOST_CHECK_EXCEPTION(tg::jacobian<double>(elementwise, TensorD()), tg::Error,
                        message_is("jacobian: x is an undefined tensor"));
}

BOOST_AUTO_TEST_SUITE_END()
