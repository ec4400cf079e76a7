#include "nn/data/image_format.hpp"

#include <cstdint>
#include <cstdlib>

namespace tg::nn {

namespace {

constexpr std::string_view png_signature("\x89PNG\r\n\x1a\n", 8);

std::uint32_t byte(std::string_view b, std::size_t i) { return static_cast<unsigned char>(b[i]); }
std::uint32_t big_endian_u32(std::string_view b, std::size_t i) {
  return byte(b, i) << 24 | byte(b, i + 1) << 16 | byte(b, i + 2) << 8 | byte(b, i + 3);
}
std::uint32_t little_endian_u16(std::string_view b, std::size_t i) { return byte(b, i) | byte(b, i + 1) << 8; }
std::uint32_t little_endian_u32(std::string_view b, std::size_t i) {
  return little_endian_u16(b, i) | little_endian_u16(b, i + 2) << 16;
}

// A chunk's type as printed in messages: its four letters, or "?" for bytes that are not.
std::string chunk_name(std::string_view type) {
  for (char c : type)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return "?";
  return std::string(type);
}

std::string png_truncation(std::string_view b) {
  // Chunks are length (4), type (4), data, CRC (4); the image is whole once IEND is.
  for (std::size_t pos = png_signature.size();;) {
    if (b.size() - pos < 8) return "the data ends before the IEND chunk, after " + std::to_string(b.size()) + " bytes";
    const std::uint64_t length = big_endian_u32(b, pos);
    const std::string type = chunk_name(b.substr(pos + 4, 4));
    if (pos + 12 + length > b.size()) return "the data ends inside chunk " + type + ", after " + std::to_string(b.size()) + " bytes";
    if (type == "IEND") return "";
    pos += 12 + length;
  }
}

std::string jpeg_truncation(std::string_view b) {
  // Entropy-coded data never holds FF followed by DA or D9, so the end-of-image marker must
  // follow the last start-of-scan marker.
  const std::size_t scan = b.rfind("\xFF\xDA");
  if (scan == std::string_view::npos) return "the data ends before the image data (no start-of-scan marker)";
  if (b.find("\xFF\xD9", scan) == std::string_view::npos) return "the data ends before the end-of-image marker";
  return "";
}

std::string bmp_truncation(std::string_view b) {
  if (b.size() < 26) return "the data ends inside the header";
  const std::uint64_t pixels_at = little_endian_u32(b, 10);
  std::int64_t width = 0, height = 0;
  std::uint32_t bits = 0, compression = 0;
  if (little_endian_u32(b, 14) == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes, never compressed
    width = little_endian_u16(b, 18);
    height = little_endian_u16(b, 20);
    bits = little_endian_u16(b, 24);
  } else {
    if (b.size() < 34) return "the data ends inside the header";
    width = static_cast<std::int32_t>(little_endian_u32(b, 18));
    height = std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(little_endian_u32(b, 22))));
    bits = little_endian_u16(b, 28);
    compression = little_endian_u32(b, 30);
  }
  // Only uncompressed rows have a size known from the header (BI_RGB, BI_BITFIELDS,
  // BI_ALPHABITFIELDS); stb_image refuses the rest, and sizes it refuses are left to it too.
  // stb_image reads the field as a signed int, so it decodes values of 2^31 and above, negative
  // there, as uncompressed rows too (a fuzzer's 119-byte file of 16777215x5 pixels took 10 s
  // under the sanitizers).
  constexpr std::int64_t most = std::int64_t(1) << 24;
  const bool rows_uncompressed =
      compression == 0 || compression == 3 || compression == 6 || compression >= 0x80000000u;
  if (!rows_uncompressed || width <= 0 || width > most || height > most || bits > 32) return "";
  const std::uint64_t row = (static_cast<std::uint64_t>(width) * bits + 31) / 32 * 4;  // rows pad to 4 bytes
  const std::uint64_t end = pixels_at + row * static_cast<std::uint64_t>(height);
  if (end > b.size())
    return "the pixel data ends after " + std::to_string(b.size()) + " of " + std::to_string(end) + " bytes";
  return "";
}

// Past the sub-blocks (a size byte, then that many bytes) up to the empty one; npos when the data ends first.
std::size_t skip_sub_blocks(std::string_view b, std::size_t pos) {
  while (pos < b.size()) {
    const std::size_t n = byte(b, pos);
    pos += 1 + n;
    if (n == 0) return pos;
  }
  return std::string_view::npos;
}

std::size_t colour_table_size(std::uint32_t flags) { return flags & 0x80 ? 3u << ((flags & 7) + 1) : 0; }

std::string gif_truncation(std::string_view b) {
  // read_image decodes the first frame: the file must hold everything up to its last sub-block.
  constexpr const char* ends = "the data ends inside the first frame";
  if (b.size() < 13) return "the data ends inside the header";
  std::size_t pos = 13 + colour_table_size(byte(b, 10));
  while (pos < b.size()) {
    const std::uint32_t introducer = byte(b, pos);
    if (introducer == 0x21) {  // extension: label, then sub-blocks
      pos = skip_sub_blocks(b, pos + 2);
      if (pos == std::string_view::npos) return ends;
    } else if (introducer == 0x2C) {  // image descriptor (10 bytes), local colour table, LZW code size, sub-blocks
      if (b.size() - pos < 10) return ends;
      pos += 10 + colour_table_size(byte(b, pos + 9)) + 1;
      return pos <= b.size() && skip_sub_blocks(b, pos) != std::string_view::npos ? "" : ends;
    } else {
      return "";  // a trailer or a stray byte: stb_image decides whether there is an image
    }
  }
  return ends;
}

}  // namespace

const char* format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::Png: return "PNG";
    case ImageFormat::Jpeg: return "JPEG";
    case ImageFormat::Bmp: return "BMP";
    case ImageFormat::Gif: return "GIF";
  }
  return "?";
}

std::optional<ImageFormat> sniff_image_format(std::string_view bytes) {
  if (bytes.starts_with(png_signature)) return ImageFormat::Png;
  if (bytes.starts_with("\xFF\xD8\xFF")) return ImageFormat::Jpeg;
  if (bytes.starts_with("BM")) return ImageFormat::Bmp;
  if (bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a")) return ImageFormat::Gif;
  return std::nullopt;
}

std::string image_truncation(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::Png: return png_truncation(bytes);
    case ImageFormat::Jpeg: return jpeg_truncation(bytes);
    case ImageFormat::Bmp: return bmp_truncation(bytes);
    case ImageFormat::Gif: return gif_truncation(bytes);
  }
  return "";
}

}  // namespace tg::nn
