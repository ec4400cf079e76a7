// IDX files (raw and gzip) and load_mnist on good and broken files, and the real MNIST and
// Fashion-MNIST counts when scripts/fetch_*.sh have fetched them.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>

#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/data_files.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using tg::testing::message_contains;
using tg::testing::reshaped;
using tg::testing::TempDir;
using tg::testing::write_bytes;
using tg::testing::write_gzip;

namespace {

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

std::string idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                       std::initializer_list<unsigned char> pixels, std::uint32_t magic = 2051) {
  return big_endian(magic) + big_endian(count) + big_endian(rows) + big_endian(cols) +
         std::string(pixels.begin(), pixels.end());
}

std::string idx_labels(std::uint32_t count, std::initializer_list<unsigned char> labels, std::uint32_t magic = 2049) {
  return big_endian(magic) + big_endian(count) + std::string(labels.begin(), labels.end());
}

// Two 2x3 images and their labels, used by several cases.
const std::string two_images = idx_images(2, 2, 3, {0, 255, 51, 1, 2, 3, 10, 20, 30, 40, 50, 60});
const std::string two_labels = idx_labels(2, {7, 0});

xt::xarray<float> scaled(std::initializer_list<unsigned char> pixels) {
  xt::xarray<float> out = xt::xarray<float>::from_shape({pixels.size()});
  std::transform(pixels.begin(), pixels.end(), out.begin(), [](unsigned char p) { return static_cast<float>(p) / 255.0f; });
  return out;
}

xt::xarray<float> two_images_expected() {
  return reshaped(scaled({0, 255, 51, 1, 2, 3, 10, 20, 30, 40, 50, 60}), {2, 2, 3});
}

// data/<name> of the checkout (mnist, fashion-mnist), found from the working directory (the
// build dir) upwards; empty when it has not been fetched.
fs::path find_dataset(const std::string& name) {
  for (fs::path dir = fs::current_path(); !dir.empty(); dir = dir.parent_path()) {
    const fs::path candidate = dir / "data" / name;
    if (fs::exists(candidate / "train-images-idx3-ubyte") || fs::exists(candidate / "train-images-idx3-ubyte.gz"))
      return candidate;
    if (dir == dir.parent_path()) break;
  }
  return {};
}

// Runs a test case only when data/<name> is there: the suite never needs the network.
struct DatasetPresent {
  std::string name;
  boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const {
    boost::test_tools::assertion_result found(!find_dataset(name).empty());
    found.message() << "data/" << name << " not found (scripts/fetch_" << (name == "mnist" ? "mnist" : "fashion_mnist")
                    << ".sh fetches it)";
    return found;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(data)

BOOST_AUTO_TEST_CASE(idx_images_raw_and_gzip_read_exact_values) {
  TempDir dir("tapegrad_test_data");
  write_bytes(dir / "images", two_images);
  write_gzip(dir / "images.gz", two_images);
  for (const auto* name : {"images", "images.gz"}) {
    const auto images = tg::nn::read_idx_images(dir / name);
    BOOST_TEST(images.shape() == (tg::Shape{2, 2, 3}), boost::test_tools::per_element());
    BOOST_TEST(images == two_images_expected());
    BOOST_TEST(images(0, 0, 1) == 1.0f);
    BOOST_TEST(images(0, 0, 2) == 0.2f);
  }
}

BOOST_AUTO_TEST_CASE(idx_labels_raw_and_gzip) {
  TempDir dir("tapegrad_test_data");
  const auto bytes = idx_labels(5, {3, 0, 9, 1, 9});
  write_bytes(dir / "labels", bytes);
  write_gzip(dir / "labels.gz", bytes);
  const tg::Labels expected{3, 0, 9, 1, 9};
  BOOST_TEST(tg::nn::read_idx_labels(dir / "labels") == expected, boost::test_tools::per_element());
  BOOST_TEST(tg::nn::read_idx_labels(dir / "labels.gz") == expected, boost::test_tools::per_element());
  BOOST_TEST(tg::nn::read_idx_labels(dir / "labels", 20) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(load_mnist_finds_raw_and_gzip_files) {
  TempDir dir("tapegrad_test_data");
  write_gzip(dir / "train-images-idx3-ubyte.gz", two_images);
  write_gzip(dir / "train-labels-idx1-ubyte.gz", two_labels);
  write_bytes(dir / "t10k-images-idx3-ubyte", idx_images(1, 1, 2, {255, 0}));
  write_bytes(dir / "t10k-labels-idx1-ubyte", idx_labels(1, {4}));

  const auto train = tg::nn::load_mnist(dir.path, "train");
  BOOST_TEST(train.images == two_images_expected());
  BOOST_TEST(train.labels == (tg::Labels{7, 0}), boost::test_tools::per_element());

  const auto flat = tg::nn::load_mnist(dir.path, "train", {.flatten = true});
  BOOST_TEST(flat.images == reshaped(two_images_expected(), {2, 6}));

  const auto test = tg::nn::load_mnist(dir.path, "t10k");
  BOOST_TEST(test.images == (xt::xarray<float>{{{1.0f, 0.0f}}}));
  BOOST_TEST(test.labels == tg::Labels{4}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(idx_errors_name_the_file_and_the_problem) {
  TempDir dir("tapegrad_test_data");
  const auto missing = dir / "absent-images";
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(missing), tg::Error,
                        message_contains({"read_idx_images", missing.string(), "no such file"}));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(dir.path), tg::Error, message_contains({dir.path.string(), "not a regular file"}));

  write_bytes(dir / "labels-as-images", two_labels);
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(dir / "labels-as-images"), tg::Error,
                        message_contains({"labels-as-images", "wrong magic number 2049 (expected 2051)", "IDX label file"}));
  write_bytes(dir / "images-as-labels", two_images);
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_labels(dir / "images-as-labels"), tg::Error,
                        message_contains({"images-as-labels", "wrong magic number 2051 (expected 2049)", "IDX image file"}));
  write_bytes(dir / "garbage", idx_labels(2, {1, 2}, 0x12345678));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_labels(dir / "garbage"), tg::Error,
                        message_contains({"garbage", "wrong magic number 305419896"}));

  write_bytes(dir / "short-header", two_images.substr(0, 10));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(dir / "short-header"), tg::Error,
                        message_contains({"short-header", "truncated header: 10 bytes, expected at least 16"}));
  write_bytes(dir / "cut-images", two_images.substr(0, 16 + 6 + 4));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(dir / "cut-images"), tg::Error,
                        message_contains({"cut-images", "truncated at image 1 of 2", "26 bytes"}));
  write_bytes(dir / "cut-labels", idx_labels(3, {1, 2}));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_labels(dir / "cut-labels"), tg::Error,
                        message_contains({"cut-labels", "truncated at label 2 of 3"}));
  write_bytes(dir / "long-labels", idx_labels(1, {1, 2}));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_labels(dir / "long-labels"), tg::Error,
                        message_contains({"long-labels", "1 unexpected bytes after the last label"}));

  write_bytes(dir / "bad-label", idx_labels(3, {1, 12, 0}));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_labels(dir / "bad-label"), tg::Error,
                        message_contains({"bad-label", "label 12 at index 1 is out of range [0, 10)"}));
}

BOOST_AUTO_TEST_CASE(gzip_errors) {
  TempDir dir("tapegrad_test_data");
  write_gzip(dir / "whole.gz", two_images);
  std::string compressed;
  {
    std::ifstream in(dir / "whole.gz", std::ios::binary);
    compressed.assign(std::istreambuf_iterator<char>(in), {});
  }
  write_bytes(dir / "cut.gz", compressed.substr(0, compressed.size() - 6));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(dir / "cut.gz"), tg::Error,
                        message_contains({"read_idx_images", "cut.gz", "corrupt gzip data"}));
  std::string flipped = compressed;
  flipped[flipped.size() - 5] ^= 0x55;  // inside the CRC32 trailer
  write_bytes(dir / "crc.gz", flipped);
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(dir / "crc.gz"), tg::Error, message_contains({"crc.gz", "corrupt gzip data"}));
}

BOOST_AUTO_TEST_CASE(load_mnist_errors) {
  TempDir dir("tapegrad_test_data");
  BOOST_CHECK_EXCEPTION(tg::nn::load_mnist(dir.path, "train"), tg::Error,
                        message_contains({"load_mnist", (dir / "train-images-idx3-ubyte").string(),
                                     "train-images-idx3-ubyte.gz", "scripts/fetch_mnist.sh"}));
  BOOST_CHECK_EXCEPTION(tg::nn::load_mnist(dir.path, "test"), tg::Error,
                        message_contains({"split must be \"train\" or \"t10k\", got \"test\""}));

  write_bytes(dir / "train-images-idx3-ubyte", two_images);
  write_gzip(dir / "train-labels-idx1-ubyte.gz", idx_labels(3, {1, 2, 3}));
  BOOST_CHECK_EXCEPTION(tg::nn::load_mnist(dir.path, "train"), tg::Error,
                        message_contains({"train-labels-idx1-ubyte.gz has 3 labels but", "train-images-idx3-ubyte has 2 images"}));
}

BOOST_AUTO_TEST_CASE(real_mnist_counts, *boost::unit_test::precondition(DatasetPresent{"mnist"})) {
  const fs::path dir = find_dataset("mnist");
  const auto train = tg::nn::load_mnist(dir, "train");
  const auto test = tg::nn::load_mnist(dir, "t10k", {.flatten = true});
  BOOST_TEST(train.images.shape() == (tg::Shape{60000, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(test.images.shape() == (tg::Shape{10000, 784}), boost::test_tools::per_element());
  BOOST_TEST(train.labels.size() == 60000u);
  BOOST_TEST(test.labels.size() == 10000u);
  BOOST_TEST(train.labels[0] == 5u);  // the well-known first digits of each split
  BOOST_TEST(test.labels[0] == 7u);
  BOOST_TEST(xt::amax(train.images)() == 1.0f);
  BOOST_TEST(xt::amin(train.images)() == 0.0f);
}

BOOST_AUTO_TEST_CASE(real_fashion_mnist_counts, *boost::unit_test::precondition(DatasetPresent{"fashion-mnist"})) {
  const fs::path dir = find_dataset("fashion-mnist");
  const auto train = tg::nn::load_mnist(dir, "train");
  const auto test = tg::nn::load_mnist(dir, "t10k");
  BOOST_TEST(train.images.shape() == (tg::Shape{60000, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(test.images.shape() == (tg::Shape{10000, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(train.labels.size() == 60000u);
  BOOST_TEST(test.labels.size() == 10000u);
  BOOST_TEST(train.labels[0] == 9u);  // class 9, ankle boot, opens both splits
  BOOST_TEST(test.labels[0] == 9u);
}

BOOST_AUTO_TEST_SUITE_END()
