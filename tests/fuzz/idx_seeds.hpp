#pragma once
// Seeds of the IDX harnesses. The project reads IDX files but writes none, so they are written
// here in the layout of MNIST's files (tests/tiny_mnist.py writes the same for the examples).
#include <filesystem>
#include <string>

#include "tests/fuzz/harness.hpp"

namespace tg::fuzz {

inline void write_idx_image_seeds(const std::filesystem::path& dir) {
  std::string pixels;
  for (int i = 0; i < 2 * 28 * 28; ++i) pixels += static_cast<char>((i * 37) % 256);
  write_seed(dir, "two_28x28", idx_file(2051, {2, 28, 28}, pixels));
  write_seed(dir, "three_2x3", idx_file(2051, {3, 2, 3}, pixels.substr(0, 18)));
  write_seed(dir, "none", idx_file(2051, {0, 28, 28}, ""));
}

inline void write_idx_label_seeds(const std::filesystem::path& dir) {
  write_seed(dir, "ten", idx_file(2049, {10}, std::string("\0\1\2\3\4\5\6\7\x08\x09", 10)));
  write_seed(dir, "one", idx_file(2049, {1}, "\7"));
  write_seed(dir, "none", idx_file(2049, {0}, ""));
}

}  // namespace tg::fuzz
