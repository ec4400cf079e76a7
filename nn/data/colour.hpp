#pragma once
// Colour conversions of images (..., C) with the channels last, as read_image returns them.
#include <xtensor/xarray.hpp>

namespace tg::nn {

// (..., 3) RGB -> (..., 3) hue, saturation, value, exactly as skimage.color.rgb2hsv computes
// them in float32: hue in [0, 1) (red 0, green 1/3, blue 2/3), 0 for grays; saturation 0 for
// black. NaN or infinite input is a tg::Error.
xt::xarray<float> rgb_to_hsv(const xt::xarray<float>& rgb);

// (..., 3) RGB -> (...) luma with PIL's weights (convert("L") / convert("F")): 0.299 R + 0.587 G + 0.114 B.
xt::xarray<float> rgb_to_gray(const xt::xarray<float>& rgb);

// An image (H, W, C) of any of read_image's channel counts as (H, W, 3) RGB, or (H, W, 1) gray:
// gray repeated, alpha dropped, as PIL's convert("RGB") and convert("L") do.
xt::xarray<float> to_rgb(const xt::xarray<float>& image);
xt::xarray<float> to_gray(const xt::xarray<float>& image);

}  // namespace tg::nn
