// conv2d, max_pool2d and avg_pool2d against direct loops written out here: forward values and
// the gradients of every input, over several geometries; and the errors for bad shapes.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::Shape;
using tg::Size2d;
using tg::TensorD;
using tg::testing::message_contains;
using Array = xt::xarray<double>;

struct ConvCase {
  Shape x;  // (N,C,H,W)
  Shape w;  // (O,C,KH,KW)
  tg::Conv2dOptions options;
};

struct PoolCase {
  Shape x;
  tg::Pool2dOptions options;
};

// The input index a kernel tap reads, or -1 in the padding.
long input_index(std::size_t out, std::size_t stride, std::size_t k, std::size_t dilation, std::size_t padding,
                 std::size_t extent) {
  const long i = static_cast<long>(out * stride + k * dilation) - static_cast<long>(padding);
  return i >= 0 && i < static_cast<long>(extent) ? i : -1;
}

std::size_t output_extent(std::size_t in, std::size_t k, std::size_t stride, std::size_t padding,
                          std::size_t dilation) {
  return (in + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
}

struct ConvReference {
  Array y, gx, gw, gb;
};

// y = x * w + b by definition, and the gradients of sum(y * g) with respect to x, w and b.
ConvReference reference_conv(const Array& x, const Array& w, const Array& b, const Array& g, const ConvCase& c) {
  const auto [stride, padding, dilation] = c.options;
  const std::size_t n = c.x[0], channels = c.x[1], h = c.x[2], wd = c.x[3], o = c.w[0], kh = c.w[2], kw = c.w[3];
  const std::size_t oh = output_extent(h, kh, stride.h, padding.h, dilation.h);
  const std::size_t ow = output_extent(wd, kw, stride.w, padding.w, dilation.w);
  ConvReference r{xt::zeros<double>({n, o, oh, ow}), xt::zeros<double>(c.x), xt::zeros<double>(c.w),
                  xt::zeros<double>({o})};
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t f = 0; f < o; ++f)
      for (std::size_t i = 0; i < oh; ++i)
        for (std::size_t j = 0; j < ow; ++j) {
          double acc = b(f);
          r.gb(f) += g(s, f, i, j);
          for (std::size_t ch = 0; ch < channels; ++ch)
            for (std::size_t p = 0; p < kh; ++p)
              for (std::size_t q = 0; q < kw; ++q) {
                const long ih = input_index(i, stride.h, p, dilation.h, padding.h, h);
                const long iw = input_index(j, stride.w, q, dilation.w, padding.w, wd);
                if (ih < 0 || iw < 0) continue;
                acc += x(s, ch, ih, iw) * w(f, ch, p, q);
                r.gx(s, ch, ih, iw) += g(s, f, i, j) * w(f, ch, p, q);
                r.gw(f, ch, p, q) += g(s, f, i, j) * x(s, ch, ih, iw);
              }
          r.y(s, f, i, j) = acc;
        }
  return r;
}

struct PoolReference {
  Array y, gx;
};

Size2d stride_of(const tg::Pool2dOptions& o) { return o.stride == Size2d(0) ? o.kernel : o.stride; }

// Max pooling by definition; the gradient of sum(y * g) goes to the first largest element.
PoolReference reference_max_pool(const Array& x, const Array& g, const PoolCase& c) {
  const Size2d kernel = c.options.kernel, padding = c.options.padding;
  const Size2d stride = stride_of(c.options);
  const std::size_t oh = output_extent(c.x[2], kernel.h, stride.h, padding.h, 1);
  const std::size_t ow = output_extent(c.x[3], kernel.w, stride.w, padding.w, 1);
  PoolReference r{xt::zeros<double>({c.x[0], c.x[1], oh, ow}), xt::zeros<double>(c.x)};
  for (std::size_t s = 0; s < c.x[0]; ++s)
    for (std::size_t ch = 0; ch < c.x[1]; ++ch)
      for (std::size_t i = 0; i < oh; ++i)
        for (std::size_t j = 0; j < ow; ++j) {
          double best = -std::numeric_limits<double>::infinity();
          long bi = -1, bj = -1;
          for (std::size_t p = 0; p < kernel.h; ++p)
            for (std::size_t q = 0; q < kernel.w; ++q) {
              const long ih = input_index(i, stride.h, p, 1, padding.h, c.x[2]);
              const long iw = input_index(j, stride.w, q, 1, padding.w, c.x[3]);
              if (ih >= 0 && iw >= 0 && x(s, ch, ih, iw) > best) {
                best = x(s, ch, ih, iw);
                bi = ih;
                bj = iw;
              }
            }
          r.y(s, ch, i, j) = best;
          r.gx(s, ch, bi, bj) += g(s, ch, i, j);
        }
  return r;
}

// Average pooling by definition, padding counted as zeros in every window.
PoolReference reference_avg_pool(const Array& x, const Array& g, const PoolCase& c) {
  const Size2d kernel = c.options.kernel, padding = c.options.padding;
  const Size2d stride = stride_of(c.options);
  const std::size_t oh = output_extent(c.x[2], kernel.h, stride.h, padding.h, 1);
  const std::size_t ow = output_extent(c.x[3], kernel.w, stride.w, padding.w, 1);
  const double area = static_cast<double>(kernel.h * kernel.w);
  PoolReference r{xt::zeros<double>({c.x[0], c.x[1], oh, ow}), xt::zeros<double>(c.x)};
  for (std::size_t s = 0; s < c.x[0]; ++s)
    for (std::size_t ch = 0; ch < c.x[1]; ++ch)
      for (std::size_t i = 0; i < oh; ++i)
        for (std::size_t j = 0; j < ow; ++j)
          for (std::size_t p = 0; p < kernel.h; ++p)
            for (std::size_t q = 0; q < kernel.w; ++q) {
              const long ih = input_index(i, stride.h, p, 1, padding.h, c.x[2]);
              const long iw = input_index(j, stride.w, q, 1, padding.w, c.x[3]);
              if (ih < 0 || iw < 0) continue;
              r.y(s, ch, i, j) += x(s, ch, ih, iw) / area;
              r.gx(s, ch, ih, iw) += g(s, ch, i, j) / area;
            }
  return r;
}

Array random(const Shape& shape, tg::Generator& gen) { return tg::randn<double>(shape, gen).value(); }

void expect_close(const Array& actual, const Array& expected, const std::string& what, double tol = 1e-12) {
  BOOST_TEST_REQUIRE(tg::shape_str(actual.shape()) == tg::shape_str(expected.shape()), what);
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i)
    worst = std::max(worst, std::abs(actual.data()[i] - expected.data()[i]));
  BOOST_TEST(worst <= tol, what << ": largest difference " << worst);
}

std::string describe(const ConvCase& c) {
  return "x " + tg::shape_str(c.x) + " w " + tg::shape_str(c.w) + " stride " + tg::size2d_str(c.options.stride) +
         " padding " + tg::size2d_str(c.options.padding) + " dilation " + tg::size2d_str(c.options.dilation);
}

std::string describe(const PoolCase& c) {
  return "x " + tg::shape_str(c.x) + " kernel " + tg::size2d_str(c.options.kernel) + " stride " +
         tg::size2d_str(c.options.stride) + " padding " + tg::size2d_str(c.options.padding);
}

const std::vector<ConvCase> conv_cases = {
    {{2, 3, 5, 5}, {4, 3, 3, 3}, {}},
    {{1, 2, 7, 6}, {3, 2, 3, 2}, {.stride = {2, 1}, .padding = {1, 0}}},
    {{3, 1, 8, 9}, {2, 1, 2, 3}, {.stride = {1, 2}, .padding = {2, 1}, .dilation = {2, 1}}},
    {{2, 2, 4, 4}, {2, 2, 1, 1}, {.stride = 2}},
    {{1, 1, 3, 3}, {1, 1, 3, 3}, {.padding = 1}},
    {{2, 3, 6, 5}, {5, 3, 3, 3}, {.stride = 2, .padding = 1, .dilation = 2}},
};

const std::vector<PoolCase> pool_cases = {
    {{2, 3, 4, 4}, {.kernel = 2}},
    {{1, 2, 5, 7}, {.kernel = 3, .stride = 2, .padding = 1}},
    {{2, 1, 6, 5}, {.kernel = {2, 3}, .stride = {1, 2}, .padding = 1}},
    {{1, 1, 5, 5}, {.kernel = 3, .stride = 1}},
};

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
