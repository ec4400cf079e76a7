// read_idx_labels on a gzip-compressed IDX label file (the input is the content; see fuzz_idx_images_gz.cpp).
#include "nn/data/mnist.hpp"
#include "tests/fuzz/idx_seeds.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) { nn::read_idx_labels(input_file(gzip(input))); }
void write_seeds(const std::filesystem::path& dir) { write_idx_label_seeds(dir); }

}  // namespace tg::fuzz
