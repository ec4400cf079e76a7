#pragma once
// What the image examples share: class lists on the command line, a seeded train / test split
// of an image folder, and the confusion matrix of a held-out set.
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "tapegrad.hpp"

namespace examples {

// "apple,lemon" -> {"apple", "lemon"}; "" -> {} (every class).
inline std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    if (end > begin) items.push_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

// The files in a seeded random order, the last `test_fraction` of them held out, as
// scikit-learn's train_test_split(test_size=...) does.
inline std::pair<tg::nn::ImageFiles, tg::nn::ImageFiles> split_files(const tg::nn::ImageFiles& files,
                                                                     double test_fraction, std::uint64_t seed) {
  if (!(test_fraction > 0 && test_fraction < 1)) throw tg::Error("--test-fraction must be between 0 and 1");
  const auto order = tg::nn::shuffled_indices(files.files.size(), seed, 0);
  const auto held = static_cast<std::size_t>(static_cast<double>(order.size()) * test_fraction + 0.5);
  if (held == 0 || held == order.size())
    throw tg::Error(std::to_string(order.size()) + " images are too few to hold out " + std::to_string(test_fraction));
  const auto cut = order.end() - static_cast<std::ptrdiff_t>(held);
  return {files.subset({order.begin(), cut}), files.subset({cut, order.end()})};
}

inline void print_confusion_matrix(const tg::Tensor& prediction, const tg::Labels& labels,
                                   const std::vector<std::string>& classes) {
  const auto matrix = tg::nn::confusion_matrix(prediction, labels, classes.size());
  std::printf("confusion matrix of the held-out images (rows: true class):\n%s",
              tg::nn::format_confusion_matrix(matrix, classes).c_str());
}

}  // namespace examples
