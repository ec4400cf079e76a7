#include "nn/data/image.hpp"

#include <stb/stb_image.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "autograd/error.hpp"
#include "nn/data/image_format.hpp"
#include "nn/data/read_file.hpp"

namespace tg::nn {

namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw Error("read_image: " + name + ": " + what);
}

// "89 50 4e 47": how a file that is no image starts, to tell what it might be.
std::string leading_bytes(std::string_view bytes) {
  if (bytes.empty()) return "it is empty";
  std::string hex = "it starts with";
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 4); ++i) {
    char buf[4];
    std::snprintf(buf, sizeof buf, " %02x", static_cast<unsigned char>(bytes[i]));
    hex += buf;
  }
  return hex;
}

// stb's pixels (8 or 16 bits per channel) divided by their maximum.
template <class Pixel>
xt::xarray<float> to_unit_range(const Pixel* pixels, int height, int width, int channels) {
  using Size = std::size_t;
  auto image = xt::xarray<float>::from_shape({Size(height), Size(width), Size(channels)});
  constexpr float top = sizeof(Pixel) == 1 ? 255.0f : 65535.0f;
  for (std::size_t i = 0; i < image.size(); ++i) image.data()[i] = static_cast<float>(pixels[i]) / top;
  return image;
}

}  // namespace

xt::xarray<float> decode_image(std::string_view bytes, const std::string& name) {
  const auto format = sniff_image_format(bytes);
  if (!format) fail(name, "not a PNG, JPEG, BMP or GIF image (" + leading_bytes(bytes) + ")");
  const std::string kind = format_name(*format);
  if (const std::string why = image_truncation(bytes, *format); !why.empty()) fail(name, "truncated " + kind + ": " + why);
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) fail(name, "larger than 2 GiB");

  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int length = static_cast<int>(bytes.size());
  int width = 0, height = 0, channels = 0;
  auto corrupt = [&] { fail(name, "corrupt " + kind + " (stb_image: " + stbi_failure_reason() + ")"); };
  if (!stbi_info_from_memory(data, length, &width, &height, &channels)) corrupt();
  if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > max_image_pixels)
    fail(name, std::to_string(width) + "x" + std::to_string(height) + " pixels is more than the " +
                   std::to_string(max_image_pixels) + " read_image accepts");

  if (stbi_is_16_bit_from_memory(data, length)) {
    std::unique_ptr<stbi_us, void (*)(void*)> pixels(
        stbi_load_16_from_memory(data, length, &width, &height, &channels, 0), stbi_image_free);
    if (!pixels) corrupt();
    return to_unit_range(pixels.get(), height, width, channels);
  }
  std::unique_ptr<stbi_uc, void (*)(void*)> pixels(stbi_load_from_memory(data, length, &width, &height, &channels, 0),
                                                   stbi_image_free);
  if (!pixels) corrupt();
  return to_unit_range(pixels.get(), height, width, channels);
}

xt::xarray<float> read_image(const std::filesystem::path& file) {
  return decode_image(read_file(file, "read_image"), file.string());
}

}  // namespace tg::nn
