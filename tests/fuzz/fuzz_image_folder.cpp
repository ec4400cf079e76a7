// load_image_folder on a folder the input describes: the options, then files of up to three
// classes. Layout: byte 0 flags (1 grayscale, 2 skip_unreadable, 4 resize), bytes 1-2 the size
// to resize to, then records of [class byte][length, 2 bytes little-endian][file bytes].
#include <unistd.h>

#include <filesystem>

#include "nn/data/image_folder.hpp"
#include "tests/fuzz/image_seeds.hpp"

namespace tg::fuzz {
namespace {

namespace fs = std::filesystem;

// A fresh folder in memory (/dev/shm) for each input.
fs::path folder() {
  static const fs::path root = fs::path("/dev/shm") / ("tapegrad_fuzz_folder_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  return root;
}

std::string record(unsigned char label, const std::string& file) {
  const auto size = static_cast<unsigned>(file.size());
  return std::string{static_cast<char>(label), static_cast<char>(size & 0xff), static_cast<char>(size >> 8)} + file;
}

}  // namespace

void read_input(std::string_view input) {
  if (input.size() < 3) return;
  const auto flags = static_cast<unsigned char>(input[0]);
  nn::ImageFolderOptions options{.grayscale = (flags & 1) != 0, .skip_unreadable = (flags & 2) != 0};
  if (flags & 4) {
    options.height = static_cast<unsigned char>(input[1]) % 32;
    options.width = static_cast<unsigned char>(input[2]) % 32;
  }
  const fs::path root = folder();
  std::size_t files = 0;
  for (std::size_t at = 3; at + 3 <= input.size(); ++files) {
    const fs::path dir = root / ("class" + std::to_string(static_cast<unsigned char>(input[at]) % 3));
    const std::size_t size = static_cast<unsigned char>(input[at + 1]) | static_cast<unsigned char>(input[at + 2]) << 8;
    const std::string_view bytes = input.substr(at + 3, size);
    fs::create_directories(dir);
    write_seed(dir, "file" + std::to_string(files), bytes);
    at += 3 + bytes.size();
  }
  nn::load_image_folder(root, options);
}

void write_seeds(const std::filesystem::path& dir) {
  const std::string png = encode_image(ImageFormat::png, 3, 4, 3), jpg = encode_image(ImageFormat::jpeg, 3, 4, 3),
                    bmp = encode_image(ImageFormat::bmp, 5, 2, 3);
  write_seed(dir, "two_classes", std::string("\0\0\0", 3) + record(0, png) + record(1, jpg) + record(1, png));
  write_seed(dir, "resized_gray", std::string("\x05\x04\x03", 3) + record(0, bmp) + record(2, png));
  write_seed(dir, "skip_unreadable", std::string("\x02\0\0", 3) + record(0, png) + record(0, "not an image"));
}

}  // namespace tg::fuzz
