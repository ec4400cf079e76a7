// read_mnist_csv on a CSV file (raw; gzip goes through the same read_file as the IDX harnesses).
#include "nn/data/csv.hpp"
#include "tests/fuzz/harness.hpp"

namespace tg::fuzz {

void read_input(std::string_view input) { nn::read_mnist_csv(input_file(input), {.flatten = input.size() % 2 == 0}); }

void write_seeds(const std::filesystem::path& dir) {
  // The tutorials' mnist_train.csv layout (the project writes no CSV): label, then 784 pixels.
  const auto line = [](int label, int pixel) {
    std::string row = std::to_string(label);
    for (int i = 0; i < 784; ++i) row += "," + std::to_string((pixel + i) % 256);
    return row;
  };
  write_seed(dir, "two_rows", line(5, 0) + "\n" + line(0, 51) + "\n");
  std::string header = "label";
  for (int i = 0; i < 784; ++i) header += ",pixel" + std::to_string(i);
  write_seed(dir, "header_crlf", header + "\r\n" + line(9, 255) + "\r\n");
}

}  // namespace tg::fuzz
