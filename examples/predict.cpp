// Loads any model saved with save_model (e.g. `mnist_cnn --save cnn.safetensors`) without its
// code, and classifies MNIST digits with it: the test set of --data, an IDX image file given
// with --images (and --labels), or a `label,pix0,...,pix783` CSV file given with --csv. It
// prints the first --show images' class probabilities, then the accuracy over all of them.
//
//   predict --model cnn.safetensors                     (data/mnist's 10,000 test images)
//   predict --model cnn.safetensors --pixels raw --csv data/mnist_test.csv
//
// The images are fed as (N, 1, 28, 28) when the model takes that (convolutions), else as
// (N, 784). Outputs that are not already probabilities (rows in [0, 1] summing to 1) are taken
// as logits and put through a softmax.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <optional>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

namespace {

struct Digits {
  xt::xarray<float> images;  // (N, 784) in [0, 1]
  std::optional<tg::Labels> labels;
  std::string source;
};

Digits read_digits(const examples::Args& args) {
  if (!args.str("csv").empty()) {
    auto set = tg::nn::read_mnist_csv(args.str("csv"), {.flatten = true});
    return {std::move(set.images), std::move(set.labels), args.str("csv")};
  }
  if (!args.str("images").empty()) {
    xt::xarray<float> images = tg::nn::read_idx_images(args.str("images"));
    images.reshape({images.shape()[0], images.size() / images.shape()[0]});
    std::optional<tg::Labels> labels;
    if (!args.str("labels").empty()) labels = tg::nn::read_idx_labels(args.str("labels"));
    if (labels && labels->size() != images.shape()[0])
      throw std::invalid_argument(args.str("labels") + " holds " + std::to_string(labels->size()) + " labels for " +
                                  std::to_string(images.shape()[0]) + " images");
    return {std::move(images), std::move(labels), args.str("images")};
  }
  auto set = tg::nn::load_mnist(args.str("data"), "t10k", {.flatten = true});
  return {std::move(set.images), std::move(set.labels), args.str("data") + " (t10k)"};
}

// The model's outputs for `images`, as (N, 1, 28, 28) if it takes that, else as (N, 784).
xt::xarray<float> outputs(tg::nn::Module& model, const xt::xarray<float>& images) {
  xt::xarray<float> as_images = images;
  as_images.reshape({images.shape()[0], 1, 28, 28});
  try {
    (void)model.predict(tg::Tensor::from(xt::xarray<float>(xt::view(as_images, xt::range(0, 1)))));
  } catch (const tg::Error&) {
    return model.predict(tg::Tensor::from(images)).value();
  }
  return model.predict(tg::Tensor::from(as_images)).value();
}

bool are_probabilities(const xt::xarray<float>& rows) {
  const std::size_t width = rows.shape()[1];
  for (std::size_t i = 0; i < rows.shape()[0]; ++i) {
    double sum = 0;
    for (std::size_t j = 0; j < width; ++j) {
      const float p = rows(i, j);
      if (!(p >= 0 && p <= 1)) return false;
      sum += p;
    }
    if (std::abs(sum - 1) > 1e-3) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv,
                            {{"model", ""}, {"data", "data/mnist"}, {"images", ""}, {"labels", ""}, {"csv", ""},
                             {"pixels", "unit"}, {"limit", "0"}, {"show", "5"}});
  if (args.str("model").empty()) throw std::invalid_argument("--model FILE is needed (a file save_model wrote)");
  const std::string pixels = args.str("pixels");
  if (pixels != "unit" && pixels != "raw") throw std::invalid_argument("--pixels is unit ([0, 1]) or raw (0-255)");

  const std::shared_ptr<tg::nn::Module> model = tg::nn::load_model(args.str("model"));
  Digits digits = read_digits(args);
  std::size_t n = digits.images.shape()[0];
  if (args.count("limit") > 0) n = std::min(n, args.count("limit"));
  xt::xarray<float> images = xt::view(digits.images, xt::range(0, n));
  if (pixels == "raw") images *= 255.0f;
  std::printf("predict: %s (%s, %zu parameters) on %zu images from %s, %s pixels\n", args.str("model").c_str(),
              model->describe().c_str(), model->parameter_count(), n, digits.source.c_str(), pixels.c_str());

  xt::xarray<float> probabilities = outputs(*model, images);
  if (probabilities.dimension() != 2) throw std::invalid_argument("the model's outputs are not one row per image");
  if (!are_probabilities(probabilities))
    probabilities = tg::softmax(tg::Tensor::from(std::move(probabilities)), -1).value();
  const std::size_t classes = probabilities.shape()[1];
  std::vector<std::size_t> predicted(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float* row = probabilities.data() + i * classes;
    predicted[i] = static_cast<std::size_t>(std::max_element(row, row + classes) - row);
  }

  for (std::size_t i = 0; i < std::min(n, args.count("show")); ++i) {
    std::printf("image %zu:", i);
    if (digits.labels) std::printf(" label %zu,", (*digits.labels)[i]);
    std::printf(" predicted %zu (%.4f); probabilities", predicted[i], probabilities(i, predicted[i]));
    for (std::size_t c = 0; c < classes; ++c) std::printf(" %.4f", probabilities(i, c));
    std::printf("\n");
  }
  if (digits.labels) {
    std::size_t right = 0;
    for (std::size_t i = 0; i < n; ++i) right += predicted[i] == (*digits.labels)[i];
    std::printf("accuracy: %.4f (%zu of %zu)\n", double(right) / double(n), right, n);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "predict: %s\n", e.what());
  return 1;
}
