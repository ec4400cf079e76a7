#pragma once
// conv2d, max_pool2d and avg_pool2d written out as direct loops in double, with the gradients of
// every input, and the geometries the conv tests run them on.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace tg::testing::conv_reference {

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
inline long input_index(std::size_t out, std::size_t stride, std::size_t k, std::size_t dilation, std::size_t padding,
                        std::size_t extent) {
  const long i = static_cast<long>(out * stride + k * dilation) - static_cast<long>(padding);
  return i >= 0 && i < static_cast<long>(extent) ? i : -1;
}

inline std::size_t output_extent(std::size_t in, std::size_t k, std::size_t stride, std::size_t padding,
                                 std::size_t dilation) {
  return (in + 2 * padding - dilation * (k - 1) - 1) / stride + 1;
}

struct ConvReference {
  Array y, gx, gw, gb;
};

// y = x * w + b by definition, and the gradients of sum(y * g) with respect to x, w and b.
inline ConvReference reference_conv(const Array& x, const Array& w, const Array& b, const Array& g, const ConvCase& c) {
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

inline Size2d stride_of(const tg::Pool2dOptions& o) { return o.stride == Size2d(0) ? o.kernel : o.stride; }

// Max pooling by definition; the gradient of sum(y * g) goes to the first largest element.
inline PoolReference reference_max_pool(const Array& x, const Array& g, const PoolCase& c) {
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
inline PoolReference reference_avg_pool(const Array& x, const Array& g, const PoolCase& c) {
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

inline Array random(const Shape& shape, tg::Generator& gen) { return tg::randn<double>(shape, gen).value(); }

inline void expect_close(const Array& actual, const Array& expected, const std::string& what, double tol = 1e-12) {
  BOOST_TEST_REQUIRE(tg::shape_str(actual.shape()) == tg::shape_str(expected.shape()), what);
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i)
    worst = std::max(worst, std::abs(actual.data()[i] - expected.data()[i]));
  BOOST_TEST(worst <= tol, what << ": largest difference " << worst);
}

inline std::string describe(const ConvCase& c) {
  return "x " + tg::shape_str(c.x) + " w " + tg::shape_str(c.w) + " stride " + tg::size2d_str(c.options.stride) +
         " padding " + tg::size2d_str(c.options.padding) + " dilation " + tg::size2d_str(c.options.dilation);
}

inline std::string describe(const PoolCase& c) {
  return "x " + tg::shape_str(c.x) + " kernel " + tg::size2d_str(c.options.kernel) + " stride " +
         tg::size2d_str(c.options.stride) + " padding " + tg::size2d_str(c.options.padding);
}

inline const std::vector<ConvCase> conv_cases = {
    {{2, 3, 5, 5}, {4, 3, 3, 3}, {}},
    {{1, 2, 7, 6}, {3, 2, 3, 2}, {.stride = {2, 1}, .padding = {1, 0}}},
    {{3, 1, 8, 9}, {2, 1, 2, 3}, {.stride = {1, 2}, .padding = {2, 1}, .dilation = {2, 1}}},
    {{2, 2, 4, 4}, {2, 2, 1, 1}, {.stride = 2}},
    {{1, 1, 3, 3}, {1, 1, 3, 3}, {.padding = 1}},
    {{2, 3, 6, 5}, {5, 3, 3, 3}, {.stride = 2, .padding = 1, .dilation = 2}},
};

inline const std::vector<PoolCase> pool_cases = {
    {{2, 3, 4, 4}, {.kernel = 2}},
    {{1, 2, 5, 7}, {.kernel = 3, .stride = 2, .padding = 1}},
    {{2, 1, 6, 5}, {.kernel = {2, 3}, .stride = {1, 2}, .padding = 1}},
    {{1, 1, 5, 5}, {.kernel = 3, .stride = 1}},
};

}  // namespace tg::testing::conv_reference
