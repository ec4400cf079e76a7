// read_idx_images on a gzip-compressed IDX image file: the input is the file's content, which
// the harness compresses, so that the fuzzer varies the header and payload behind the gzip layer.
#include "nn/data/mnist.hpp"
#include "tests/fuzz/idx_seeds.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) { nn::read_idx_images(input_file(gzip(input))); }
void write_seeds(const std::filesystem::path& dir) { write_idx_image_seeds(dir); }

}  // namespace tg::fuzz
