#pragma once
// Seeds of the image harnesses: images stb_image_write encodes (as the project's examples and
// tests write them), and the reference images of tests/data/images (PIL's, with a GIF).
#include <stb/stb_image_write.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/fuzz/harness.hpp"

namespace tg::fuzz {

enum class ImageFormat { png, bmp, jpeg };

// A height x width image of `channels` channels in `format`, each pixel telling itself apart.
inline std::string encode_image(ImageFormat format, int height, int width, int channels) {
  std::vector<unsigned char> pixels(static_cast<std::size_t>(height * width * channels));
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i * 29 % 256);
  std::string out;
  const auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  const bool written =
      format == ImageFormat::png    ? stbi_write_png_to_func(append, &out, width, height, channels, pixels.data(), 0)
      : format == ImageFormat::bmp  ? stbi_write_bmp_to_func(append, &out, width, height, channels, pixels.data())
                                    : stbi_write_jpg_to_func(append, &out, width, height, channels, pixels.data(), 80);
  if (!written) violated("stb_image_write could not encode a seed");
  return out;
}

inline void write_image_seeds(const std::filesystem::path& dir) {
  write_seed(dir, "rgb.png", encode_image(ImageFormat::png, 3, 4, 3));
  write_seed(dir, "gray_alpha.png", encode_image(ImageFormat::png, 2, 2, 2));
  write_seed(dir, "rgba.bmp", encode_image(ImageFormat::bmp, 3, 5, 4));
  write_seed(dir, "rgb.jpg", encode_image(ImageFormat::jpeg, 8, 8, 3));
  write_seed(dir, "gray.jpg", encode_image(ImageFormat::jpeg, 9, 7, 1));
  for (const auto& entry : std::filesystem::directory_iterator(TAPEGRAD_TEST_IMAGES))
    if (entry.path().extension() != ".json") write_seed(dir, entry.path().filename(), file_bytes(entry.path()));
}

}  // namespace tg::fuzz
