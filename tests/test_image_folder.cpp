// Image folders: labels, shapes and files of load_image_folder, its options and errors, and the
// loader that decodes batch by batch.
#include <stb/stb_image_write.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <xtensor/xview.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/memory_in_use.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::peak_memory_rise;
using tg::testing::TempDir;
using tg::testing::write_bytes;

namespace {

// An RGB PNG whose pixel (y, x) is (x * 10 + shade, y * 20, shade): every image tells itself apart.
void write_png(const fs::path& file, int height, int width, int shade) {
  fs::create_directories(file.parent_path());
  std::vector<unsigned char> pixels(static_cast<std::size_t>(height * width * 3));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      unsigned char* p = &pixels[static_cast<std::size_t>((y * width + x) * 3)];
      p[0] = static_cast<unsigned char>((x * 10 + shade) % 256);
      p[1] = static_cast<unsigned char>((y * 20) % 256);
      p[2] = static_cast<unsigned char>(shade);
    }
  BOOST_REQUIRE(stbi_write_png(file.c_str(), width, height, 3, pixels.data(), width * 3));
}

// root/mango/m.png, root/apple/{b.png, a.png}, root/lemon/{l.png, deeper/k.png}, all 3x4,
// written out of order, with hidden files that must be passed over.
void write_fruit(const fs::path& root) {
  write_png(root / "mango" / "m.png", 3, 4, 50);
  write_png(root / "apple" / "b.png", 3, 4, 20);
  write_png(root / "apple" / "a.png", 3, 4, 10);
  write_png(root / "lemon" / "l.png", 3, 4, 30);
  write_png(root / "lemon" / "deeper" / "k.png", 3, 4, 40);
  write_bytes(root / "apple" / ".DS_Store", "not an image");
  write_png(root / ".hidden" / "x.png", 3, 4, 0);
}

std::vector<std::string> names(const std::vector<fs::path>& files, const fs::path& root) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(fs::relative(f, root).generic_string());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(image_folder)

BOOST_AUTO_TEST_CASE(load_image_folder_gives_sorted_classes_labels_files_and_pixels) {
  TempDir dir("tapegrad_test_image_folder");
  write_fruit(dir.path);
  const nn::ImageSet set = nn::load_image_folder(dir.path);
  BOOST_TEST(set.classes == std::vector<std::string>({"apple", "lemon", "mango"}), boost::test_tools::per_element());
  BOOST_TEST(names(set.files, dir.path) ==
                 std::vector<std::string>({"apple/a.png", "apple/b.png", "lemon/deeper/k.png", "lemon/l.png", "mango/m.png"}),
             boost::test_tools::per_element());
  BOOST_TEST(set.labels == tg::Labels({0, 0, 1, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(set.images.shape() == std::vector<std::size_t>({5, 3, 3, 4}), boost::test_tools::per_element());
  // Channels first: images(n, c, y, x); k.png has shade 40.
  BOOST_TEST(set.images(2, 0, 1, 3) == (3 * 10 + 40) / 255.0f);
  BOOST_TEST(set.images(2, 1, 2, 3) == 40 / 255.0f);
  BOOST_TEST(set.images(2, 2, 0, 0) == 40 / 255.0f);
  BOOST_TEST(set.skipped.empty());
}

BOOST_AUTO_TEST_CASE(grayscale_resize_and_chosen_classes) {
  TempDir dir("tapegrad_test_image_folder");
  write_fruit(dir.path);
  write_png(dir / "lemon" / "big.png", 9, 7, 60);  // another size: fine when resizing
  const auto set = nn::load_image_folder(dir.path, {.height = 5, .width = 2, .grayscale = true, .classes = {"mango", "lemon"}});
  BOOST_TEST(set.classes == std::vector<std::string>({"mango", "lemon"}), boost::test_tools::per_element());
  BOOST_TEST(set.labels == tg::Labels({0, 1, 1, 1}), boost::test_tools::per_element());
  BOOST_TEST(set.images.shape() == std::vector<std::size_t>({4, 1, 5, 2}), boost::test_tools::per_element());
  // Each image is PIL's luma of the file, then PIL's bilinear resize.
  const xt::xarray<float> expected = nn::resize_image(nn::to_gray(nn::read_image(dir / "lemon" / "big.png")), 5, 2);
  for (std::size_t y = 0; y < 5; ++y)
    for (std::size_t x = 0; x < 2; ++x) BOOST_TEST(set.images(1, 0, y, x) == expected(y, x, 0));
  BOOST_TEST(nn::load_image(dir / "lemon" / "big.png", {.height = 5, .width = 2, .grayscale = true}) ==
             xt::view(set.images, 1));
}

BOOST_AUTO_TEST_CASE(folder_errors_name_the_folder_or_file) {
  TempDir dir("tapegrad_test_image_folder");
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir / "nowhere"), tg::Error,
                        message_contains({"load_image_folder", "nowhere", "no such folder"}));
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir.path), tg::Error,
                        message_contains({"load_image_folder", dir.path.string(), "no class sub-folders"}));
  write_png(dir / "apple" / "a.png", 3, 4, 10);
  fs::create_directories(dir / "lemon");
  write_bytes(dir / "lemon" / ".keep", "");
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir.path), tg::Error,
                        message_contains({"load_image_folder", (dir / "lemon").string(), "holds no files"}));
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir.path, {.classes = {"apple", "kiwi"}}), tg::Error,
                        message_contains({(dir / "kiwi").string(), "no such class folder"}));
  write_png(dir / "lemon" / "wide.png", 3, 6, 30);
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir.path), tg::Error,
                        message_contains({(dir / "lemon" / "wide.png").string(), "3x6 (height x width)",
                                          (dir / "apple" / "a.png").string(), "3x4", "height and width"}));
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir.path, {.height = 4}), tg::Error,
                        message_contains({"load_image_folder", "both height and width"}));
  write_bytes(dir / "lemon" / "notes.txt", "a stray file");
  BOOST_CHECK_EXCEPTION(nn::load_image_folder(dir.path, {.height = 3, .width = 4}), tg::Error,
                        message_contains({(dir / "lemon" / "notes.txt").string(), "not a PNG, JPEG, BMP or GIF"}));
}

BOOST_AUTO_TEST_CASE(skip_unreadable_leaves_out_and_reports_bad_files) {
  TempDir dir("tapegrad_test_image_folder");
  write_fruit(dir.path);
  write_bytes(dir / "apple" / "0_notes.txt", "not an image");
  const std::string png = tg::testing::read_bytes(dir / "mango" / "m.png");
  write_bytes(dir / "mango" / "cut.png", png.substr(0, png.size() / 2));
  BOOST_CHECK_THROW(nn::load_image_folder(dir.path), tg::Error);
  const auto set = nn::load_image_folder(dir.path, {.skip_unreadable = true});
  BOOST_TEST(set.labels == tg::Labels({0, 0, 1, 1, 2}), boost::test_tools::per_element());
  BOOST_TEST(set.images.shape()[0] == 5u);
  BOOST_REQUIRE_EQUAL(set.skipped.size(), 2u);
  BOOST_TEST(set.skipped[0].file == dir / "apple" / "0_notes.txt");
  BOOST_TEST(set.skipped[0].reason.find("not a PNG, JPEG, BMP or GIF") != std::string::npos);
  BOOST_TEST(set.skipped[1].file == dir / "mango" / "cut.png");
  BOOST_TEST(set.skipped[1].reason.find("truncated PNG") != std::string::npos);
  // The first file is unreadable, so the size comes from the next: rows must not be shifted.
  BOOST_TEST(set.images(0, 0, 0, 1) == (10 + 10) / 255.0f);
}

BOOST_AUTO_TEST_CASE(loader_batches_shuffle_and_cover_the_folder) {
  TempDir dir("tapegrad_test_image_folder");
  write_fruit(dir.path);
  const auto files = nn::list_image_folder(dir.path);
  nn::ImageFolderLoader loader(files, {.height = 2, .width = 2}, {.batch_size = 2, .shuffle = true, .seed = 3});
  BOOST_TEST(loader.sample_shape() == tg::Shape({3, 2, 2}), boost::test_tools::per_element());
  BOOST_TEST(loader.num_batches() == 3u);
  const auto epoch0 = loader.epoch(0), epoch1 = loader.epoch(1);
  BOOST_TEST(epoch0.order() != epoch1.order());
  BOOST_TEST(loader.epoch(0).order() == epoch0.order());
  std::multiset<std::size_t> seen;
  std::size_t position = 0;
  for (const auto& batch : epoch0) {
    BOOST_TEST(batch.inputs.shape()[1] == 3u);
    for (std::size_t i = 0; i < batch.targets.size(); ++i, ++position) {
      const std::size_t file = epoch0.order()[position];
      BOOST_TEST(batch.targets[i] == files.labels[file]);
      const xt::xarray<float> expected = nn::load_image(files.files[file], {.height = 2, .width = 2});
      BOOST_TEST(xt::view(batch.inputs.value(), i) == expected);
      seen.insert(file);
    }
  }
  BOOST_TEST(seen == std::multiset<std::size_t>({0, 1, 2, 3, 4}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(loader_decodes_each_file_only_when_its_batch_is_made) {
  TempDir dir("tapegrad_test_image_folder");
  write_fruit(dir.path);
  write_bytes(dir / "mango" / "z_bad.png", "not an image");  // last in file order
  nn::ImageFolderLoader loader(nn::list_image_folder(dir.path), {}, {.batch_size = 2});
  const auto epoch = loader.epoch(0);
  BOOST_TEST(epoch.batch(0).inputs.shape()[0] == 2u);
  BOOST_TEST(epoch.batch(1).inputs.shape()[0] == 2u);
  BOOST_CHECK_EXCEPTION(epoch.batch(2), tg::Error, message_contains({(dir / "mango" / "z_bad.png").string(), "not a PNG"}));

  nn::ImageFolderLoader skipping(nn::list_image_folder(dir.path), {.skip_unreadable = true}, {.batch_size = 2});
  BOOST_TEST(skipping.epoch(0).batch(2).targets == tg::Labels({2}), boost::test_tools::per_element());
  BOOST_REQUIRE_EQUAL(skipping.skipped().size(), 1u);
  BOOST_TEST(skipping.skipped()[0].file == dir / "mango" / "z_bad.png");

  write_png(dir / "mango" / "z_bad.png", 5, 5, 0);
  BOOST_CHECK_EXCEPTION(nn::ImageFolderLoader(nn::list_image_folder(dir.path), {}, {.batch_size = 2}).epoch(0).batch(2),
                        tg::Error, message_contains({"ImageFolderLoader", "z_bad.png", "5x5 (height x width)", "a.png"}));
}

BOOST_AUTO_TEST_CASE(loader_memory_holds_a_batch_not_the_folder) {
  TempDir dir("tapegrad_test_image_folder");
  for (int i = 0; i < 48; ++i) write_png(dir / (i % 2 ? "odd" : "even") / (std::to_string(i) + ".png"), 256, 256, i);
  const auto files = nn::list_image_folder(dir.path);
  // The loader first: memory freed by the whole folder would be reused without rising again.
  std::size_t samples = 0;
  const auto lazy = peak_memory_rise([&] {
    nn::ImageFolderLoader loader(files, {.height = 8, .width = 8}, {.batch_size = 4, .shuffle = true});
    for (const auto& batch : loader) samples += batch.targets.size();
  });
  if (!lazy) {
    BOOST_WARN_MESSAGE(false, "skipped: /proc/self/clear_refs cannot reset the peak memory here");
    return;
  }
  // Decoded, the folder takes 48 x 256 x 256 x 3 floats (36 MB).
  const auto whole = peak_memory_rise([&] {
    BOOST_TEST(nn::load_image_folder(dir.path).images.size() == 48u * 256 * 256 * 3);
  });
  const double mb = 1024.0 * 1024.0;
  BOOST_TEST_MESSAGE("peak memory rise: " << *whole / mb << " MB decoding the folder, " << *lazy / mb
                                          << " MB through the loader");
  BOOST_TEST(samples == 48u);
  BOOST_TEST(*whole / mb > 36.0);
  BOOST_TEST(*lazy / mb < 12.0);  // a batch, one image being decoded, and the code pages that first touches
}

BOOST_AUTO_TEST_SUITE_END()
