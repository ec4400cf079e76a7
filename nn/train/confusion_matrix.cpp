#include "nn/train/confusion_matrix.hpp"

#include <algorithm>

#include "autograd/shape.hpp"

namespace tg::nn {

template <class T>
xt::xarray<std::size_t> confusion_matrix(const BasicTensor<T>& prediction, const Labels& labels, std::size_t num_classes) {
  const auto& p = prediction.value();
  if (p.dimension() != 2 || p.shape()[1] != num_classes || p.shape()[0] != labels.size())
    throw Error("confusion_matrix: expected predictions (" + std::to_string(labels.size()) + ", " +
                std::to_string(num_classes) + ") for " + std::to_string(labels.size()) + " labels, got shape " +
                shape_str(p.shape()));
  xt::xarray<std::size_t> counts = xt::zeros<std::size_t>({num_classes, num_classes});
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= num_classes)
      throw Error("confusion_matrix: label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  " is out of range for " + std::to_string(num_classes) + " classes");
    const T* row = p.data() + i * num_classes;
    ++counts(labels[i], static_cast<std::size_t>(std::max_element(row, row + num_classes) - row));
  }
  return counts;
}

template xt::xarray<std::size_t> confusion_matrix(const BasicTensor<float>&, const Labels&, std::size_t);
template xt::xarray<std::size_t> confusion_matrix(const BasicTensor<double>&, const Labels&, std::size_t);

std::string format_confusion_matrix(const xt::xarray<std::size_t>& matrix, const std::vector<std::string>& classes) {
  if (matrix.dimension() != 2 || matrix.shape()[0] != classes.size() || matrix.shape()[1] != classes.size())
    throw Error("format_confusion_matrix: a " + std::to_string(classes.size()) + "-class matrix was expected, got shape " +
                shape_str(matrix.shape()));
  std::size_t width = 1;
  for (const auto& c : classes) width = std::max(width, c.size());
  for (std::size_t n : matrix) width = std::max(width, std::to_string(n).size());
  auto right = [&](const std::string& text) { return std::string(width + 2 - text.size(), ' ') + text; };
  std::string table = std::string(width, ' ');
  for (const auto& c : classes) table += right(c);
  table += "   <- predicted\n";
  for (std::size_t t = 0; t < classes.size(); ++t) {
    table += classes[t] + std::string(width - classes[t].size(), ' ');
    for (std::size_t p = 0; p < classes.size(); ++p) table += right(std::to_string(matrix(t, p)));
    table += "\n";
  }
  return table;
}

}  // namespace tg::nn
