#include "nn/data/resize.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "autograd/shape.hpp"

namespace tg::nn {

namespace {

// Output position i of a pass reads inputs first[i], first[i] + 1, ... with weights[i].
struct Taps {
  std::vector<std::size_t> first;
  std::vector<std::vector<double>> weights;
};

double triangle(double x) {
  x = std::abs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// PIL's bilinear coefficients for resampling `in` samples to `out`.
Taps taps(std::size_t in, std::size_t out) {
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  const double widen = std::max(scale, 1.0);
  const double support = widen;  // the triangle's support (1) times the widening
  const double shrink = 1.0 / widen;
  Taps t{std::vector<std::size_t>(out), std::vector<std::vector<double>>(out)};
  for (std::size_t i = 0; i < out; ++i) {
    const double centre = (static_cast<double>(i) + 0.5) * scale;
    // PIL rounds the window's ends by truncation after adding 0.5, then clips them to the input.
    const auto lo = std::max<long>(static_cast<long>(centre - support + 0.5), 0);
    const auto hi = std::min<long>(static_cast<long>(centre + support + 0.5), static_cast<long>(in));
    auto& w = t.weights[i];
    double total = 0;
    for (long x = lo; x < hi; ++x) {
      w.push_back(triangle((static_cast<double>(x) - centre + 0.5) * shrink));
      total += w.back();
    }
    if (total != 0.0)
      for (double& v : w) v /= total;
    t.first[i] = static_cast<std::size_t>(lo);
  }
  return t;
}

// Resamples axis 0 or 1 of (H, W, C) to `size`.
xt::xarray<float> resample(const xt::xarray<float>& in, std::size_t axis, std::size_t size) {
  const auto& shape = in.shape();
  const std::size_t cols = shape[1], channels = shape[2];
  const Taps t = taps(shape[axis], size);
  auto out_shape = shape;
  out_shape[axis] = size;
  auto out = xt::xarray<float>::from_shape(out_shape);
  const std::size_t out_cols = out_shape[1];
  // The step between neighbours along the resampled axis, in floats.
  const std::size_t stride = axis == 0 ? cols * channels : channels;
  for (std::size_t r = 0; r < out_shape[0]; ++r)
    for (std::size_t c = 0; c < out_cols; ++c) {
      const std::size_t i = axis == 0 ? r : c;
      const float* src = in.data() + (axis == 0 ? t.first[i] * cols * channels + c * channels
                                                : r * cols * channels + t.first[i] * channels);
      float* dst = out.data() + (r * out_cols + c) * channels;
      for (std::size_t ch = 0; ch < channels; ++ch) {
        double sum = 0;
        for (std::size_t k = 0; k < t.weights[i].size(); ++k) sum += src[k * stride + ch] * t.weights[i][k];
        dst[ch] = static_cast<float>(sum);
      }
    }
  return out;
}

}  // namespace

xt::xarray<float> resize_image(const xt::xarray<float>& image, std::size_t height, std::size_t width) {
  if (image.dimension() != 3)
    throw Error("resize_image: expected an image (H, W, C), got shape " + shape_str(image.shape()));
  if (height == 0 || width == 0)
    throw Error("resize_image: the size must be positive, got " + std::to_string(height) + "x" + std::to_string(width));
  if (image.shape()[0] == 0 || image.shape()[1] == 0)
    throw Error("resize_image: cannot resize an empty image of shape " + shape_str(image.shape()));
  // As PIL: a pass runs only along an axis whose size changes.
  xt::xarray<float> out = image.shape()[1] == width ? image : resample(image, 1, width);
  return out.shape()[0] == height ? out : resample(out, 0, height);
}

}  // namespace tg::nn
