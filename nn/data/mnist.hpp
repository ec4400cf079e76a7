#pragma once
// MNIST-style IDX files (MNIST, Fashion-MNIST): raw or gzip-compressed.
#include <filesystem>
#include <string>

#include <xtensor/xarray.hpp>

#include "nn/labels.hpp"

namespace tg::nn {

// Images scaled to [0,1], one label per image.
struct MnistSet {
  xt::xarray<float> images;  // (N,28,28), or (N,784) when flattened
  Labels labels;
};

struct MnistOptions {
  bool flatten = false;  // images as (N, rows*cols) rows instead of (N, rows, cols)
};

// An IDX3 image file (magic 2051): (N, rows, cols) pixels divided by 255.
xt::xarray<float> read_idx_images(const std::filesystem::path& path);

// An IDX1 label file (magic 2049); every label must be below `num_classes`.
Labels read_idx_labels(const std::filesystem::path& path, std::size_t num_classes = 10);

// `split` is "train" or "t10k": reads <dir>/<split>-images-idx3-ubyte and
// <dir>/<split>-labels-idx1-ubyte, each raw or with a .gz suffix, and checks they agree.
MnistSet load_mnist(const std::filesystem::path& dir, const std::string& split,
                    const MnistOptions& options = {});

}  // namespace tg::nn
