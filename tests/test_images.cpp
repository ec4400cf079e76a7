// Images: decoding, resizing, colour and features against the numbers PIL, skimage and numpy
// gave (tests/make_image_references.py wrote them to tests/data/images/), and bad files.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using tg::testing::message_contains;
using tg::testing::read_bytes;
using tg::testing::write_bytes;

namespace {

const fs::path images_dir = TAPEGRAD_TEST_IMAGES;

const nlohmann::json& references() {
  static const nlohmann::json json = nlohmann::json::parse(std::ifstream(images_dir / "references.json"));
  return json;
}

// {"shape", "values"} as written by the script's array().
xt::xarray<float> array(const nlohmann::json& j) {
  auto a = xt::xarray<float>::from_shape(j["shape"].get<std::vector<std::size_t>>());
  const auto& values = j["values"];
  BOOST_REQUIRE_EQUAL(values.size(), a.size());
  for (std::size_t i = 0; i < a.size(); ++i) a.data()[i] = values[i].get<float>();
  return a;
}

float max_abs_diff(const xt::xarray<float>& a, const xt::xarray<float>& b) {
  BOOST_REQUIRE(a.shape() == b.shape());
  float most = 0;
  for (std::size_t i = 0; i < a.size(); ++i) most = std::max(most, std::abs(a.data()[i] - b.data()[i]));
  return most;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(images)

BOOST_AUTO_TEST_CASE(read_image_gives_pils_pixels_for_png_bmp_and_gif) {
  for (const auto& [file, expected] : references()["decoded"].items()) {
    if (file.ends_with(".jpg")) continue;
    BOOST_TEST_CONTEXT(file) {
      const xt::xarray<float> levels = array(expected);
      const float maximum = expected["maximum"].get<float>();
      const xt::xarray<float> image = tg::nn::read_image(images_dir / file);
      BOOST_REQUIRE(image.shape() == levels.shape());
      for (std::size_t i = 0; i < image.size(); ++i) BOOST_REQUIRE_EQUAL(image.data()[i], levels.data()[i] / maximum);
    }
  }
}

BOOST_AUTO_TEST_CASE(read_image_gives_jpeg_within_a_few_levels_of_pil) {
  // stb_image's IDCT and chroma upsampling are not libjpeg's: 2 levels apart at most here (1 in gray).
  for (const char* file : {"photo.jpg", "gray.jpg"}) {
    BOOST_TEST_CONTEXT(file) {
      const auto& expected = references()["decoded"][file];
      const xt::xarray<float> pil = array(expected) / 255.0f;
      const xt::xarray<float> image = tg::nn::read_image(images_dir / file);
      BOOST_TEST(max_abs_diff(image, pil) <= 3.0f / 255);
      BOOST_TEST(std::abs(xt::mean(image - pil)()) < 0.5f / 255);  // no bias
    }
  }
}

BOOST_AUTO_TEST_CASE(decode_image_reads_bytes_in_memory_as_read_image_reads_the_file) {
  const xt::xarray<float> from_file = tg::nn::read_image(images_dir / "photo.jpg");
  BOOST_TEST(from_file == tg::nn::decode_image(read_bytes(images_dir / "photo.jpg"), "photo.jpg"));
}

BOOST_AUTO_TEST_CASE(resize_image_gives_pils_bilinear_resize) {
  const xt::xarray<float> rgb = tg::nn::read_image(images_dir / "rgb.png");
  for (const auto& c : references()["resized"]) {
    const std::size_t height = c["height"], width = c["width"];
    BOOST_TEST_CONTEXT(height << "x" << width) {
      const xt::xarray<float> resized = tg::nn::resize_image(rgb, height, width);
      // PIL's mode F result: the same sums in double, stored as float32. PIL rounds each product
      // before adding it where our build may fuse the two (FMA): the last bit of a float may differ.
      BOOST_TEST(max_abs_diff(resized, array(c["float"])) <= 1.2e-7f);
      // PIL's 8-bit RGB resize rounds to whole levels after each of its two passes.
      BOOST_TEST(max_abs_diff(resized, array(c["uint8"]) / 255.0f) <= 1.0f / 255);
    }
  }
}

BOOST_AUTO_TEST_CASE(rgb_to_gray_gives_pils_luma) {
  const auto& gray = references()["gray"];
  const xt::xarray<float> luma = tg::nn::rgb_to_gray(tg::nn::read_image(images_dir / gray["file"].get<std::string>()));
  BOOST_TEST(max_abs_diff(luma, array(gray["values"])) <= 1e-6f);
}

BOOST_AUTO_TEST_CASE(rgb_to_hsv_gives_skimages_numbers_exactly) {
  const auto& hsv = references()["hsv"];
  // Every tie of channels, black, white and grays are among the rows.
  BOOST_TEST(max_abs_diff(tg::nn::rgb_to_hsv(array(hsv["rgb"])), array(hsv["hsv"])) == 0.0f);
}

BOOST_AUTO_TEST_CASE(rgb_to_hsv_keeps_leading_axes_and_refuses_bad_input) {
  const xt::xarray<float> image = tg::nn::read_image(images_dir / "rgb.png");
  BOOST_TEST(tg::nn::rgb_to_hsv(image).shape() == image.shape());
  BOOST_CHECK_EXCEPTION(tg::nn::rgb_to_hsv(xt::xarray<float>::from_shape({2, 4})), tg::Error,
                        message_contains({"rgb_to_hsv", "(2,4)"}));
  xt::xarray<float> nan = {{0.5f, std::numeric_limits<float>::quiet_NaN(), 0.1f}};
  BOOST_CHECK_EXCEPTION(tg::nn::rgb_to_hsv(nan), tg::Error, message_contains({"rgb_to_hsv", "pixel 0", "not finite"}));
}

BOOST_AUTO_TEST_CASE(histogram_counts_as_numpy_histogram) {
  for (const auto& c : references()["histograms"]) {
    BOOST_TEST_CONTEXT(c["name"].get<std::string>()) {
      const xt::xarray<float> counts = tg::nn::histogram(array(c["values"]), c["bins"].get<std::size_t>());
      BOOST_TEST(counts == array(c["counts"]));
    }
  }
}

BOOST_AUTO_TEST_CASE(histogram_of_nothing_is_zeros_and_bad_input_is_refused) {
  BOOST_TEST(tg::nn::histogram(xt::xarray<float>::from_shape({0}), 3) == xt::xarray<float>({0, 0, 0}));
  BOOST_CHECK_EXCEPTION(tg::nn::histogram(xt::xarray<float>{1, 2}, 0), tg::Error, message_contains({"histogram", "bins"}));
  const xt::xarray<float> inf = {1.0f, std::numeric_limits<float>::infinity()};
  BOOST_CHECK_EXCEPTION(tg::nn::histogram(inf, 4), tg::Error, message_contains({"histogram", "inf", "not finite"}));
}

BOOST_AUTO_TEST_CASE(std_filter_and_standardizer_as_numpy) {
  const auto& f = references()["features"];
  const xt::xarray<float> x = array(f["features"]);
  BOOST_TEST(tg::nn::columns_with_std_above(x, 50.0) == f["columns_above_50"].get<std::vector<std::size_t>>(),
             boost::test_tools::per_element());
  const auto scaler = tg::nn::Standardizer::fit(x);
  const auto std = f["std"].get<std::vector<double>>();
  for (std::size_t c = 0; c < std.size(); ++c)
    BOOST_TEST(scaler.scale(c) == (std[c] == 0 ? 1.0f : static_cast<float>(std[c])), boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(max_abs_diff(scaler.transform(x), array(f["standardized"])) <= 2e-6f);
  const xt::xarray<float> kept = tg::nn::select_columns(x, {3, 0});
  BOOST_TEST(kept(5, 0) == x(5, 3));
  BOOST_TEST(kept(5, 1) == x(5, 0));
  BOOST_CHECK_EXCEPTION(scaler.transform(xt::xarray<float>::from_shape({2, 5})), tg::Error,
                        message_contains({"Standardizer::transform", "(2,5)", "6 columns"}));
  BOOST_CHECK_EXCEPTION(tg::nn::select_columns(x, {6}), tg::Error, message_contains({"select_columns", "column 6"}));
}

BOOST_AUTO_TEST_CASE(confusion_matrix_counts_true_against_predicted_classes) {
  // Rows: samples of classes 0, 1, 1, 2; their arg-maxes 0, 2, 1, 2.
  const auto scores = tg::Tensor::from(xt::xarray<float>{{5, 1, 0}, {0, 1, 3}, {0, 2, 1}, {-1, -2, 0}});
  const auto matrix = tg::nn::confusion_matrix(scores, {0, 1, 1, 2}, 3);
  BOOST_TEST(matrix == (xt::xarray<std::size_t>{{1, 0, 0}, {0, 1, 1}, {0, 0, 1}}));
  const std::string table = tg::nn::format_confusion_matrix(matrix, {"apple", "lemon", "kiwi"});
  BOOST_TEST(table.find("apple  lemon   kiwi   <- predicted") != std::string::npos, table);
  BOOST_TEST(table.find("lemon      0      1      1") != std::string::npos, table);
  BOOST_CHECK_EXCEPTION(tg::nn::confusion_matrix(scores, {0, 1, 3, 2}, 3), tg::Error,
                        message_contains({"confusion_matrix", "label 3 at index 2"}));
  BOOST_CHECK_EXCEPTION(tg::nn::confusion_matrix(scores, {0, 1}, 3), tg::Error,
                        message_contains({"confusion_matrix", "(4,3)"}));
}

// Each bad file is an error naming the file and what is wrong with it.
BOOST_AUTO_TEST_CASE(read_image_refuses_what_is_not_a_whole_image) {
  tg::testing::TempDir dir("tapegrad_test_images");
  auto refused = [&](const std::string& name, const std::string& bytes, std::vector<std::string> parts) {
    write_bytes(dir / name, bytes);
    parts.insert(parts.begin(), {"read_image", (dir / name).string()});
    BOOST_CHECK_EXCEPTION(tg::nn::read_image(dir / name), tg::Error, message_contains(parts));
  };
  BOOST_CHECK_EXCEPTION(tg::nn::read_image(dir / "missing.png"), tg::Error, message_contains({"missing.png", "no such file"}));
  refused("notes.png", "hello, world\n", {"not a PNG, JPEG, BMP or GIF image", "it starts with 68 65 6c 6c"});
  refused("empty.jpg", "", {"not a PNG, JPEG, BMP or GIF image", "it is empty"});
  // Cut anywhere, including just before the last byte (PNG's IEND checksum, JPEG's end marker):
  // stb_image alone would decode the cut PNG, BMP and GIF with black pixels.
  for (const char* file : {"rgb.png", "photo.jpg", "rgb.bmp", "palette.gif"}) {
    const std::string whole = read_bytes(images_dir / file);
    const std::string kind = fs::path(file).extension() == ".png" ? "PNG" : fs::path(file).extension() == ".jpg" ? "JPEG"
                             : fs::path(file).extension() == ".bmp" ? "BMP" : "GIF";
    // A GIF needs no trailer byte after its frame: cut into the frame's last sub-block instead.
    const std::size_t last = whole.size() - (kind == "GIF" ? 2 : 1);
    for (std::size_t cut : {std::size_t(30), whole.size() / 2, last})
      BOOST_TEST_CONTEXT(file << " cut to " << cut << " bytes") {
        refused("cut_" + std::string(file), whole.substr(0, cut), {"truncated " + kind});
      }
  }
  const std::string png = read_bytes(images_dir / "rgb.png");
  std::string zeroed = png;
  zeroed.replace(41, 8, 8, '\0');  // the start of IDAT's zlib stream
  refused("zeroed.png", zeroed, {"corrupt PNG (stb_image:"});
  // A header claiming 15000 x 15000 pixels must not make the reader allocate 2.7 GB.
  const std::string huge = png.substr(0, 16) + std::string("\0\0\x3a\x98\0\0\x3a\x98", 8) + png.substr(24);
  refused("huge.png", huge, {"15000x15000 pixels is more than"});
}

BOOST_AUTO_TEST_SUITE_END()
