// conv2d, max_pool2d and avg_pool2d against the direct loops of tests/conv_reference.hpp: forward
// values and the gradients of every input, over several geometries; and the errors for bad shapes.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/conv_reference.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::Shape;
using tg::TensorD;
using tg::testing::message_contains;
using namespace tg::testing::conv_reference;

}  // namespace

BOOST_AUTO_TEST_SUITE(conv)

BOOST_AUTO_TEST_CASE(conv2d_forward_and_gradients_match_direct_loops) {
  tg::Generator gen(7);
  for (const ConvCase& c : conv_cases) {
    const std::string what = describe(c);
    auto x = TensorD::from(random(c.x, gen), true);
    auto w = TensorD::from(random(c.w, gen), true);
    auto b = TensorD::from(random({c.w[0]}, gen), true);
    const auto y = tg::conv2d(x, w, b, c.options);
    const Array g = random(y.shape(), gen);
    const ConvReference r = reference_conv(x.value(), w.value(), b.value(), g, c);
    expect_close(y.value(), r.y, "forward of " + what);
    tg::sum(y * TensorD::from(g)).backward();
    expect_close(x.grad().value(), r.gx, "input gradient of " + what);
    expect_close(w.grad().value(), r.gw, "weight gradient of " + what);
    expect_close(b.grad().value(), r.gb, "bias gradient of " + what);
  }
}

BOOST_AUTO_TEST_CASE(conv2d_without_bias_and_in_float) {
  tg::Generator gen(11);
  const ConvCase c = conv_cases[1];
  const Array x = random(c.x, gen), w = random(c.w, gen);
  const auto y = tg::conv2d(TensorD::from(x), TensorD::from(w), {}, c.options);
  const ConvReference r = reference_conv(x, w, xt::zeros<double>({c.w[0]}), xt::zeros<double>(y.shape()), c);
  expect_close(y.value(), r.y, "forward without bias");

  auto xf = tg::Tensor::from(xt::cast<float>(x), true);
  auto wf = tg::Tensor::from(xt::cast<float>(w), true);
  const auto yf = tg::conv2d(xf, wf, {}, c.options);
  expect_close(xt::cast<double>(yf.value()), r.y, "forward in float", 1e-4);
  tg::sum(yf).backward();
  const ConvReference ones = reference_conv(x, w, xt::zeros<double>({c.w[0]}), xt::ones<double>(y.shape()), c);
  expect_close(xt::cast<double>(xf.grad().value()), ones.gx, "input gradient in float", 1e-4);
  expect_close(xt::cast<double>(wf.grad().value()), ones.gw, "weight gradient in float", 1e-4);
}

// Without a gradient to take, conv2d unrolls a few samples at a time and max_pool2d keeps no
// positions: the values must not change. The last case needs several chunks of samples.
BOOST_AUTO_TEST_CASE(forward_without_recording_matches_direct_loops) {
  tg::Generator gen(5);
  std::vector<ConvCase> cases = conv_cases;
  cases.push_back({{12, 16, 30, 30}, {2, 16, 3, 3}, {.padding = 1}});
  for (const ConvCase& c : cases) {
    const Array x = random(c.x, gen), w = random(c.w, gen), b = random({c.w[0]}, gen);
    auto xg = TensorD::from(x, true);
    tg::NoGradGuard no_grad;
    const auto y = tg::conv2d(xg, TensorD::from(w), TensorD::from(b), c.options);
    expect_close(y.value(), reference_conv(x, w, b, xt::zeros<double>(y.shape()), c).y,
                 "forward without recording of " + describe(c));
  }
  for (const PoolCase& c : pool_cases) {
    const Array x = random(c.x, gen);
    auto xg = TensorD::from(x, true);
    tg::NoGradGuard no_grad;
    const auto y = tg::max_pool2d(xg, c.options);
    expect_close(y.value(), reference_max_pool(x, xt::zeros<double>(y.shape()), c).y,
                 "max_pool2d without recording of " + describe(c));
  }
}

BOOST_AUTO_TEST_CASE(max_pool2d_forward_and_gradient_match_direct_loops) {
  tg::Generator gen(3);
  for (const PoolCase& c : pool_cases) {
    const std::string what = describe(c);
    auto x = TensorD::from(random(c.x, gen), true);
    const auto y = tg::max_pool2d(x, c.options);
    const Array g = random(y.shape(), gen);
    const PoolReference r = reference_max_pool(x.value(), g, c);
    expect_close(y.value(), r.y, "forward of " + what);
    tg::sum(y * TensorD::from(g)).backward();
    expect_close(x.grad().value(), r.gx, "gradient of " + what);
  }
}

BOOST_AUTO_TEST_CASE(max_pool2d_ties_send_the_gradient_to_the_first_largest) {
  auto x = TensorD::from(xt::ones<double>({1, 1, 2, 4}), true);
  tg::sum(tg::max_pool2d(x, {.kernel = 2})).backward();
  BOOST_TEST(x.grad().value() == (Array{{{{1, 0, 1, 0}, {0, 0, 0, 0}}}}));
  // Padding is never the maximum, even of negative inputs.
  const auto y = tg::max_pool2d(TensorD::from(Array{{{{-3, -1}, {-2, -4}}}}), {.kernel = 2, .stride = 1, .padding = 1});
  BOOST_TEST(y.value() == (Array{{{{-3, -1, -1}, {-2, -1, -1}, {-2, -2, -4}}}}));
}

BOOST_AUTO_TEST_CASE(max_pool2d_propagates_nan_and_handles_infinite_windows) {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  // Window 1 holds a NaN after its maximum, window 2 only -inf.
  auto x = TensorD::from(Array{{{{5, 1, -inf, -inf}, {nan, 2, -inf, -inf}}}}, true);
  const auto y = tg::max_pool2d(x, {.kernel = 2});
  BOOST_TEST(std::isnan(y.value()(0, 0, 0, 0)));
  BOOST_TEST(y.value()(0, 0, 0, 1) == -inf);
  tg::sum(y * TensorD::from(Array{{{{1, 1}}}})).backward();
  BOOST_TEST(x.grad().value() == (Array{{{{0, 0, 1, 0}, {1, 0, 0, 0}}}}));
}

BOOST_AUTO_TEST_CASE(avg_pool2d_forward_and_gradient_match_direct_loops) {
  tg::Generator gen(5);
  for (const PoolCase& c : pool_cases) {
    const std::string what = describe(c);
    auto x = TensorD::from(random(c.x, gen), true);
    const auto y = tg::avg_pool2d(x, c.options);
    const Array g = random(y.shape(), gen);
    const PoolReference r = reference_avg_pool(x.value(), g, c);
    expect_close(y.value(), r.y, "forward of " + what);
    tg::sum(y * TensorD::from(g)).backward();
    expect_close(x.grad().value(), r.gx, "gradient of " + what);
  }
}

BOOST_AUTO_TEST_CASE(im2col_and_col2im_are_transposes) {
  // <im2col(x), c> = <x, col2im(c)> for any x and c.
  tg::Generator gen(9);
  const tg::Window2d window{.kernel = {2, 3}, .stride = {2, 1}, .padding = {1, 2}, .dilation = {1, 2}};
  const Shape in{2, 3, 5, 4};
  const auto x = TensorD::from(random(in, gen));
  const auto cols = tg::im2col(x, window);
  const auto c = TensorD::from(random(cols.shape(), gen));
  const double left = tg::sum(cols * c).item(), right = tg::sum(x * tg::col2im(c, window, in)).item();
  BOOST_TEST(left == right, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_named) {
  const auto x = TensorD::from(xt::zeros<double>({2, 3, 5, 5}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(x, TensorD::from(xt::zeros<double>({4, 2, 3, 3}))), tg::Error,
                        message_contains({"conv2d: input of shape (2,3,5,5) has 3 channels",
                                          "weight of shape (4,2,3,3) expects 2"}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(x, TensorD::from(xt::zeros<double>({4, 3, 7, 3}))), tg::Error,
                        message_contains({"conv2d: the kernel 7x3 is larger than the padded input 5x5",
                                          "(input (2,3,5,5), padding 0x0)"}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(x, TensorD::from(xt::zeros<double>({4, 3, 3, 3})), {}, {.padding = 1, .dilation = 4}),
                        tg::Error,
                        message_contains({"kernel 3x3 (dilation 4x4, spanning 9x9)", "padded input 7x7"}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(x, TensorD::from(xt::zeros<double>({4, 3, 3, 3})), TensorD::from(xt::zeros<double>({3}))),
                        tg::Error, message_contains({"conv2d: bias of shape (3)", "weight of shape (4,3,3,3)", "(4)"}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(TensorD::from(xt::zeros<double>({3, 5, 5})), TensorD::from(xt::zeros<double>({4, 3, 3, 3}))),
                        tg::Error, message_contains({"conv2d: the input must be (N,C,H,W), got shape (3,5,5)"}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(x, TensorD::from(xt::zeros<double>({4, 3, 3}))), tg::Error,
                        message_contains({"conv2d: the weight must be (O,C,KH,KW), got shape (4,3,3)"}));
  BOOST_CHECK_EXCEPTION(tg::conv2d(x, TensorD::from(xt::zeros<double>({4, 3, 3, 3})), {}, {.stride = {0, 1}}),
                        tg::Error, message_contains({"conv2d: the stride must be positive, got 0x1"}));

  BOOST_CHECK_EXCEPTION(tg::max_pool2d(x, {.kernel = 3, .padding = 2}), tg::Error,
                        message_contains({"max_pool2d: the padding 2x2 must be at most half the kernel 3x3"}));
  BOOST_CHECK_EXCEPTION(tg::avg_pool2d(x, {.kernel = {2, 6}}), tg::Error,
                        message_contains({"avg_pool2d: the kernel 2x6 is larger than the padded input 5x5"}));
  BOOST_CHECK_EXCEPTION(tg::max_pool2d(TensorD::from(xt::zeros<double>({5, 5})), {.kernel = 2}), tg::Error,
                        message_contains({"max_pool2d: the input must be (N,C,H,W), got shape (5,5)"}));
  BOOST_CHECK_EXCEPTION(tg::avg_pool2d(x, {}), tg::Error,
                        message_contains({"avg_pool2d: the kernel must be positive, got 0x0"}));

  const tg::Window2d window{.kernel = 2};
  BOOST_CHECK_EXCEPTION(tg::col2im(TensorD::from(xt::zeros<double>({12, 30})), window, {2, 3, 5, 5}), tg::Error,
                        message_contains({"col2im: columns of shape (12,30)", "expected (12,32)"}));
  const tg::Index index = std::make_shared<const std::vector<std::size_t>>(std::vector<std::size_t>{0, 7});
  BOOST_CHECK_EXCEPTION(tg::gather(TensorD::from(xt::zeros<double>({3, 2})), index, {2, 2}, 2), tg::Error,
                        message_contains({"gather: index 7 at position 1 is out of range for 3 blocks of shape (3,2)"}));
  BOOST_CHECK_EXCEPTION(tg::gather(TensorD::from(xt::zeros<double>({3, 2})), index, {2, 3}, 2), tg::Error,
                        message_contains({"gather: 2 blocks of 2 elements do not fill shape (2,3)"}));
}

BOOST_AUTO_TEST_CASE(variance_by_hand) {
  const auto x = TensorD::from(Array{{1, 2, 3, 6}, {0, 0, 4, 4}});
  expect_close(tg::var(x, {1}).value(), Array{3.5, 4.0}, "var over axis 1");
  Array unbiased = {14.0 / 3, 16.0 / 3};
  unbiased.reshape({2, 1});
  expect_close(tg::var(x, {-1}, true, true).value(), unbiased, "unbiased var, keepdims");
  BOOST_TEST(tg::var(x).item() == 4.0, boost::test_tools::tolerance(1e-12));
  BOOST_CHECK_EXCEPTION(tg::var(TensorD::from(xt::ones<double>({1, 1})), {1}, false, true), tg::Error,
                        message_contains({"var: an unbiased variance needs at least 2 elements"}));
}

BOOST_AUTO_TEST_SUITE_END()
