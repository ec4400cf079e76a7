#pragma once
// Image folders as torchvision's ImageFolder reads them: root/<class>/<image files>, one class
// per sub-folder, the classes in sorted order, every image converted to RGB (or gray) and, on
// request, resized as PIL's bilinear resize does.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>

#include "nn/labels.hpp"

namespace tg::nn {

struct ImageFolderOptions {
  std::size_t height = 0, width = 0;  // resize every image to height x width; 0 and 0: keep, and all must agree
  bool grayscale = false;             // one gray channel (PIL's weights) instead of RGB
  bool skip_unreadable = false;       // leave out files that are no readable image, listing each in `skipped`
  std::vector<std::string> classes;   // the sub-folders to read, in this order; empty: all of them, sorted
};

// A file left out by skip_unreadable, and the error that reading it raised.
struct SkippedFile {
  std::filesystem::path file;
  std::string reason;
};

struct ImageSet {
  xt::xarray<float> images;          // (N, C, H, W), channels first as Conv2d takes them
  Labels labels;                     // index into classes
  std::vector<std::string> classes;  // sub-folder names, sorted
  std::vector<std::filesystem::path> files;
  std::vector<SkippedFile> skipped;  // with skip_unreadable, in the order met
};

// A folder's files and labels without their pixels: what a lazy loader decodes batch by batch.
struct ImageFiles {
  std::vector<std::filesystem::path> files;  // class after class; within a class sorted by path
  Labels labels;
  std::vector<std::string> classes;

  // The files `indices` (each below files.size()), with the same classes.
  ImageFiles subset(const std::vector<std::size_t>& indices) const;
};

// Every regular file under each class sub-folder, sub-folders included, except hidden ones
// (names starting with "."): a stray file that is not an image is an error when read, not
// silently passed over. A missing root or class folder, a root without sub-folders and a class
// folder without files are tg::Errors naming the folder.
ImageFiles list_image_folder(const std::filesystem::path& root, const std::vector<std::string>& classes = {});

// One file as load_image_folder stores it: RGB (or gray), resized when the options give a
// size, channels first (C, H, W).
xt::xarray<float> load_image(const std::filesystem::path& file, const ImageFolderOptions& options = {});

// Every image of the folder, decoded. Images of different sizes without a resize, a file that
// is not an image or is truncated (unless skip_unreadable), and a folder left without images
// are tg::Errors naming the file or folder.
ImageSet load_image_folder(const std::filesystem::path& root, const ImageFolderOptions& options = {});

// For the folder readers: throws, naming `op` and both files, unless `image` (C, H, W) has the
// height and width of `first`'s, `expected`.
void check_same_size(const xt::xarray<float>& image, const std::filesystem::path& file, const xt::xarray<float>& expected,
                     const std::filesystem::path& first, const char* op);

}  // namespace tg::nn
