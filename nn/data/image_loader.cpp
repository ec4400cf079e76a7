#include "nn/data/image_loader.hpp"

#include <algorithm>
#include <mutex>

namespace tg::nn {

struct ImageFolderLoader::State {
  ImageFiles files;
  ImageFolderOptions options;
  xt::xarray<float> first;  // the first readable image: the size every other must have
  std::size_t first_index = 0;
  Shape sample_shape;
  std::mutex mutex;  // guards skipped: batches may be made on several threads
  std::vector<SkippedFile> skipped;

  State(ImageFiles f, ImageFolderOptions o) : files(std::move(f)), options(std::move(o)) {
    constexpr const char* op = "ImageFolderLoader";
    if (files.files.empty()) throw Error(std::string(op) + ": no files to load");
    if (files.labels.size() != files.files.size())
      throw Error(std::string(op) + ": " + std::to_string(files.files.size()) + " files but " +
                  std::to_string(files.labels.size()) + " labels");
    for (; first_index < files.files.size(); ++first_index) {
      try {
        first = load_image(files.files[first_index], options);
        break;
      } catch (const Error& e) {
        if (!options.skip_unreadable) throw;
        skipped.push_back({files.files[first_index], e.what()});
      }
    }
    if (first_index == files.files.size())
      throw Error(std::string(op) + ": none of the " + std::to_string(files.files.size()) + " files is a readable image");
    sample_shape = to_shape(first.shape());
  }

  Batch make(std::span<const std::size_t> indices) {
    const std::size_t sample = first.size();
    auto shape = sample_shape;
    shape.insert(shape.begin(), indices.size());
    auto images = xt::xarray<float>::from_shape(shape);
    Labels labels;
    for (std::size_t i : indices) {
      xt::xarray<float> image;
      try {
        image = load_image(files.files[i], options);
      } catch (const Error& e) {
        if (!options.skip_unreadable) throw;
        const std::lock_guard lock(mutex);
        // The first pass over the files meets each unreadable one; later epochs only skip it.
        if (std::none_of(skipped.begin(), skipped.end(), [&](const SkippedFile& s) { return s.file == files.files[i]; }))
          skipped.push_back({files.files[i], e.what()});
        continue;
      }
      check_same_size(image, files.files[i], first, files.files[first_index], "ImageFolderLoader");
      std::copy(image.begin(), image.end(), images.data() + labels.size() * sample);
      labels.push_back(files.labels[i]);
    }
    if (labels.size() < indices.size()) {
      shape[0] = labels.size();
      xt::xarray<float> kept = xt::xarray<float>::from_shape(shape);
      std::copy_n(images.data(), kept.size(), kept.data());
      images = std::move(kept);
    }
    return {Tensor::from(std::move(images)), std::move(labels)};
  }
};

ImageFolderLoader::ImageFolderLoader(ImageFiles files, ImageFolderOptions image_options, LoaderOptions options)
    : ImageFolderLoader(std::make_shared<State>(std::move(files), std::move(image_options)), options) {}

ImageFolderLoader::ImageFolderLoader(std::shared_ptr<State> state, LoaderOptions options)
    : DataLoader<Labels>(
          state->files.files.size(), [state](std::span<const std::size_t> indices) { return state->make(indices); },
          options),
      state_(std::move(state)) {}

const ImageFiles& ImageFolderLoader::files() const { return state_->files; }

const Shape& ImageFolderLoader::sample_shape() const { return state_->sample_shape; }

std::vector<SkippedFile> ImageFolderLoader::skipped() const {
  const std::lock_guard lock(state_->mutex);
  return state_->skipped;
}

}  // namespace tg::nn
