// read_image on any file: PNG, JPEG, BMP and GIF through stb_image and the truncation checks.
#include "nn/data/image.hpp"
#include "tests/fuzz/image_seeds.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) { nn::read_image(input_file(input)); }
void write_seeds(const std::filesystem::path& dir) { write_image_seeds(dir); }

}  // namespace tg::fuzz
