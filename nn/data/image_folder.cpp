#include "nn/data/image_folder.hpp"

#include <algorithm>
#include <system_error>

#include "autograd/shape.hpp"
#include "nn/data/colour.hpp"
#include "nn/data/image.hpp"
#include "nn/data/resize.hpp"

namespace fs = std::filesystem;

namespace tg::nn {

namespace {

[[noreturn]] void fail(const char* op, const fs::path& path, const std::string& what) {
  throw Error(std::string(op) + ": " + path.string() + ": " + what);
}

bool hidden(const fs::path& path) { return path.filename().string().starts_with("."); }

std::vector<std::string> sorted_sub_folders(const fs::path& root, const char* op) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) fail(op, root, fs::exists(root, ec) ? "not a folder" : "no such folder");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root))
    if (entry.is_directory() && !hidden(entry.path())) names.push_back(entry.path().filename().string());
  if (names.empty()) fail(op, root, "no class sub-folders (images go in " + (root / "<class>").string() + "/)");
  std::sort(names.begin(), names.end());
  return names;
}

// The class folder's regular files, hidden ones and hidden folders left out, sorted by path.
std::vector<fs::path> class_files(const fs::path& folder, const char* op) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) fail(op, folder, "no such class folder");
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it) {
    if (hidden(it->path())) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(it->path());
  }
  if (files.empty()) fail(op, folder, "the class folder holds no files");
  std::sort(files.begin(), files.end());
  return files;
}

ImageFiles list_folder(const fs::path& root, const std::vector<std::string>& classes, const char* op) {
  ImageFiles listing;
  listing.classes = classes.empty() ? sorted_sub_folders(root, op) : classes;
  for (std::size_t label = 0; label < listing.classes.size(); ++label)
    for (auto& file : class_files(root / listing.classes[label], op)) {
      listing.files.push_back(std::move(file));
      listing.labels.push_back(label);
    }
  return listing;
}

void check_size_options(const ImageFolderOptions& options, const char* op) {
  if ((options.height == 0) != (options.width == 0))
    throw Error(std::string(op) + ": give both height and width to resize, or neither; got " +
                std::to_string(options.height) + "x" + std::to_string(options.width));
}

// (H, W, C) -> (C, H, W)
xt::xarray<float> channels_first(const xt::xarray<float>& image) {
  const std::size_t h = image.shape()[0], w = image.shape()[1], c = image.shape()[2];
  auto out = xt::xarray<float>::from_shape({c, h, w});
  for (std::size_t p = 0; p < h * w; ++p)
    for (std::size_t k = 0; k < c; ++k) out.data()[k * h * w + p] = image.data()[p * c + k];
  return out;
}

}  // namespace

ImageFiles ImageFiles::subset(const std::vector<std::size_t>& indices) const {
  ImageFiles out{{}, {}, classes};
  for (std::size_t i : indices) {
    if (i >= files.size())
      throw Error("ImageFiles::subset: index " + std::to_string(i) + " is out of range for " +
                  std::to_string(files.size()) + " files");
    out.files.push_back(files[i]);
    out.labels.push_back(labels[i]);
  }
  return out;
}

ImageFiles list_image_folder(const fs::path& root, const std::vector<std::string>& classes) {
  return list_folder(root, classes, "list_image_folder");
}

xt::xarray<float> load_image(const fs::path& file, const ImageFolderOptions& options) {
  check_size_options(options, "load_image");
  const xt::xarray<float> image = read_image(file);
  xt::xarray<float> converted = options.grayscale ? to_gray(image) : to_rgb(image);
  if (options.height) converted = resize_image(converted, options.height, options.width);
  return channels_first(converted);
}

void check_same_size(const xt::xarray<float>& image, const fs::path& file, const xt::xarray<float>& expected,
                     const fs::path& first, const char* op) {
  auto size = [](const xt::xarray<float>& chw) {
    return std::to_string(chw.shape()[1]) + "x" + std::to_string(chw.shape()[2]);
  };
  if (image.shape()[1] != expected.shape()[1] || image.shape()[2] != expected.shape()[2])
    fail(op, file, "the image is " + size(image) + " (height x width) but " + first.string() + " is " + size(expected) +
                       ": give ImageFolderOptions a height and width to resize them to");
}

ImageSet load_image_folder(const fs::path& root, const ImageFolderOptions& options) {
  constexpr const char* op = "load_image_folder";
  check_size_options(options, op);
  const ImageFiles listing = list_folder(root, options.classes, op);
  ImageSet set{{}, {}, listing.classes, {}, {}};
  xt::xarray<float> first;  // the first image read, whose size every other must have
  std::size_t sample = 0;   // floats per image
  for (std::size_t i = 0; i < listing.files.size(); ++i) {
    xt::xarray<float> image;
    try {
      image = load_image(listing.files[i], options);
    } catch (const Error& e) {
      if (!options.skip_unreadable) throw;
      set.skipped.push_back({listing.files[i], e.what()});
      continue;
    }
    if (set.files.empty()) {
      first = image;
      sample = image.size();
      // Room for every file still to come; rows of skipped files are cut off at the end.
      set.images = xt::xarray<float>::from_shape(
          {listing.files.size() - i, image.shape()[0], image.shape()[1], image.shape()[2]});
    } else {
      check_same_size(image, listing.files[i], first, set.files.front(), op);
    }
    std::copy(image.begin(), image.end(), set.images.data() + set.files.size() * sample);
    set.files.push_back(listing.files[i]);
    set.labels.push_back(listing.labels[i]);
  }
  if (set.files.empty()) fail(op, root, "none of the " + std::to_string(listing.files.size()) + " files is a readable image");
  if (set.files.size() < set.images.shape()[0]) {
    auto shape = set.images.shape();
    shape[0] = set.files.size();
    xt::xarray<float> kept = xt::xarray<float>::from_shape(shape);
    std::copy_n(set.images.data(), kept.size(), kept.data());
    set.images = std::move(kept);
  }
  return set;
}

}  // namespace tg::nn
