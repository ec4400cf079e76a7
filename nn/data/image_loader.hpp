#pragma once
// Mini-batches of an image folder, decoded when each batch is asked for: memory holds one batch
// of images, never the folder, so a folder larger than memory trains.
//
//   auto files = tg::nn::list_image_folder("data/fruit");
//   tg::nn::ImageFolderLoader loader(files, {.height = 32, .width = 32}, {.batch_size = 128, .shuffle = true});
//   for (const auto& batch : loader) { ... batch.inputs (B, 3, 32, 32), batch.targets (B labels) ... }
#include <memory>
#include <vector>

#include "autograd/shape.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/data/image_folder.hpp"

namespace tg::nn {

class ImageFolderLoader : public DataLoader<Labels> {
 public:
  // Images are read as load_image(file, image_options) reads them; without a size in the
  // options every image must have the first readable one's (an error names the file that
  // differs when its batch is made). With skip_unreadable a file that cannot be read is left
  // out of its batch, which is then smaller, and listed in skipped().
  ImageFolderLoader(ImageFiles files, ImageFolderOptions image_options, LoaderOptions options = {});

  const ImageFiles& files() const;
  const Shape& sample_shape() const;           // (C, H, W)
  std::vector<SkippedFile> skipped() const;    // left out so far, in the order met

 private:
  struct State;
  ImageFolderLoader(std::shared_ptr<State> state, LoaderOptions options);
  std::shared_ptr<State> state_;
};

}  // namespace tg::nn
