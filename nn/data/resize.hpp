#pragma once
// Resizing images as PIL's Image.resize(size, Image.BILINEAR) does.
#include <cstddef>

#include <xtensor/xarray.hpp>

namespace tg::nn {

// (H, W, C) -> (height, width, C). Each output pixel is a triangle-filter average of the input
// pixels around its centre, the filter widened by the scale when shrinking (so every input
// pixel counts, as in PIL), columns first, then rows, each pass summed in double and stored as
// float: the numbers PIL gives for a mode "F" image, channel by channel.
xt::xarray<float> resize_image(const xt::xarray<float>& image, std::size_t height, std::size_t width);

}  // namespace tg::nn
