#pragma once
// Reading PNG, JPEG, BMP and GIF images with stb_image (Debian's libstb) into float arrays.
#include <filesystem>
#include <string>
#include <string_view>

#include <xtensor/xarray.hpp>

namespace tg::nn {

// (H, W, C) in [0, 1]: C = 1 gray, 2 gray and alpha, 3 RGB, 4 RGB and alpha, as the file stores
// it (a GIF's first frame is always RGBA); 16-bit PNGs keep their 16 bits. A file that is not
// one of the four formats, is truncated or corrupt, or has more than max_image_pixels, is a
// tg::Error naming the file and the problem.
xt::xarray<float> read_image(const std::filesystem::path& file);

// The same from bytes in memory; `name` stands for the file in errors.
xt::xarray<float> decode_image(std::string_view bytes, const std::string& name);

// PIL's bound for decompression bombs (Image.MAX_IMAGE_PIXELS, an error at twice it): a few
// header bytes must not make the reader allocate gigabytes.
inline constexpr std::size_t max_image_pixels = 2 * 89'478'485;

}  // namespace tg::nn
