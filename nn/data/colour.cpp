#include "nn/data/colour.hpp"

#include <algorithm>
#include <cmath>

#include "autograd/shape.hpp"

namespace tg::nn {

namespace {

void check_last_axis(const xt::xarray<float>& a, std::size_t size, const char* op, const char* what) {
  if (a.dimension() == 0 || a.shape().back() != size)
    throw Error(std::string(op) + ": expected " + what + " with " + std::to_string(size) +
                " values on the last axis, got shape " + shape_str(a.shape()));
}

void check_image(const xt::xarray<float>& image, const char* op) {
  if (image.dimension() != 3 || image.shape()[2] == 0 || image.shape()[2] > 4)
    throw Error(std::string(op) + ": expected an image (H, W, C) with 1 to 4 channels, got shape " +
                shape_str(image.shape()));
}

// numpy's float32 `x % 1.0`: fmod, moved into [0, 1) when negative.
float unit_mod(float x) {
  const float m = std::fmod(x, 1.0f);
  return m < 0 ? m + 1.0f : m + 0.0f;  // + 0.0f turns -0 into 0, as numpy's floor mod does
}

}  // namespace

xt::xarray<float> rgb_to_hsv(const xt::xarray<float>& rgb) {
  check_last_axis(rgb, 3, "rgb_to_hsv", "RGB values");
  xt::xarray<float> hsv = xt::xarray<float>::from_shape(rgb.shape());
  const float* in = rgb.data();
  float* out = hsv.data();
  for (std::size_t i = 0; i < rgb.size(); i += 3) {
    const float r = in[i], g = in[i + 1], b = in[i + 2];
    if (!std::isfinite(r) || !std::isfinite(g) || !std::isfinite(b))
      throw Error("rgb_to_hsv: pixel " + std::to_string(i / 3) + " is not finite (" + std::to_string(r) + ", " +
                  std::to_string(g) + ", " + std::to_string(b) + ")");
    const float v = std::max({r, g, b});
    const float delta = v - std::min({r, g, b});
    float h = 0, s = 0;
    if (delta != 0) {
      s = delta / v;
      // skimage assigns red's, then green's, then blue's formula: on ties the later one wins.
      if (b == v) h = 4.0f + (r - g) / delta;
      else if (g == v) h = 2.0f + (b - r) / delta;
      else h = (g - b) / delta;
      h = unit_mod(h / 6.0f);
    }
    out[i] = h;
    out[i + 1] = s;
    out[i + 2] = v;
  }
  return hsv;
}

xt::xarray<float> rgb_to_gray(const xt::xarray<float>& rgb) {
  check_last_axis(rgb, 3, "rgb_to_gray", "RGB values");
  auto shape = rgb.shape();
  shape.pop_back();
  auto gray = xt::xarray<float>::from_shape(shape);
  for (std::size_t i = 0; i < gray.size(); ++i) {
    const float* p = rgb.data() + 3 * i;
    gray.data()[i] = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
  }
  return gray;
}

xt::xarray<float> to_rgb(const xt::xarray<float>& image) {
  check_image(image, "to_rgb");
  const std::size_t channels = image.shape()[2], pixels = image.shape()[0] * image.shape()[1];
  auto rgb = xt::xarray<float>::from_shape({image.shape()[0], image.shape()[1], std::size_t(3)});
  for (std::size_t p = 0; p < pixels; ++p)
    for (std::size_t c = 0; c < 3; ++c) rgb.data()[3 * p + c] = image.data()[channels * p + (channels < 3 ? 0 : c)];
  return rgb;
}

xt::xarray<float> to_gray(const xt::xarray<float>& image) {
  check_image(image, "to_gray");
  xt::xarray<float> gray;
  if (image.shape()[2] < 3) {
    gray = xt::xarray<float>::from_shape({image.shape()[0], image.shape()[1]});
    for (std::size_t p = 0; p < gray.size(); ++p) gray.data()[p] = image.data()[image.shape()[2] * p];
  } else {
    gray = rgb_to_gray(to_rgb(image));
  }
  gray.reshape({image.shape()[0], image.shape()[1], std::size_t(1)});
  return gray;
}

}  // namespace tg::nn
