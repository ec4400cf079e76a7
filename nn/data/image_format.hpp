#pragma once
// The image formats read_image accepts, told apart by their first bytes, and whether a file
// holds a whole image: stb_image decodes a truncated BMP, GIF or PNG without complaint (the
// missing pixels come out black), so each format's structure is walked before decoding.
#include <optional>
#include <string>
#include <string_view>

namespace tg::nn {

enum class ImageFormat { Png, Jpeg, Bmp, Gif };

const char* format_name(ImageFormat format);  // "PNG", "JPEG", "BMP", "GIF"

// By signature: PNG's eight bytes, JPEG's FF D8 FF, BMP's "BM", GIF's "GIF87a" or "GIF89a".
std::optional<ImageFormat> sniff_image_format(std::string_view bytes);

// Why `bytes` cannot hold a whole image of `format` ("the data ends inside chunk IDAT"), or ""
// when the structure is complete. Only structure is checked; the decoder judges the contents.
std::string image_truncation(std::string_view bytes, ImageFormat format);

}  // namespace tg::nn
