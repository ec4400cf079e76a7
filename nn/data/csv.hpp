#pragma once
// The MNIST CSV format the classic tutorials read (mnist_train.csv): one image per line,
// `label,pix0,...,pix783`, pixels integers 0..255. An optional header line starting with
// "label" is skipped; gzip-compressed files are read too.
#include <filesystem>

#include "nn/data/mnist.hpp"

namespace tg::nn {

// Images scaled to [0,1] as (N,28,28), or (N,784) with `flatten`; labels must be 0..9.
MnistSet read_mnist_csv(const std::filesystem::path& path, const MnistOptions& options = {});

}  // namespace tg::nn
