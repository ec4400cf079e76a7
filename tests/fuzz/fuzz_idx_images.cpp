// read_idx_images on a raw IDX image file.
#include "nn/data/mnist.hpp"
#include "tests/fuzz/idx_seeds.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) { nn::read_idx_images(input_file(input)); }
void write_seeds(const std::filesystem::path& dir) { write_idx_image_seeds(dir); }

}  // namespace tg::fuzz
