#pragma once
// Integer class labels, one per sample: what classification data and losses share.
#include <cstddef>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/shape.hpp"

namespace tg {

using Labels = std::vector<std::size_t>;

namespace nn {

// (N, num_classes) rows holding `on` at each sample's label and `off` elsewhere: targets for
// MSE-style losses (the tutorials' 0.01 / 0.99) and the masks that pick a label's entry.
template <class T = float>
xt::xarray<T> one_hot(const Labels& labels, std::size_t num_classes, T off = T(0), T on = T(1)) {
  xt::xarray<T> rows = xt::xarray<T>::from_shape({labels.size(), num_classes});
  rows.fill(off);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= num_classes)
      throw Error("one_hot: label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  " is out of range for " + std::to_string(num_classes) + " classes");
    rows(i, labels[i]) = on;
  }
  return rows;
}

}  // namespace nn
}  // namespace tg
