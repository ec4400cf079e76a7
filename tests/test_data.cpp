// Data: IDX and CSV readers on good and broken files, SupervisedDataSet, the batch loader.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using tg::testing::message_contains;
using tg::testing::TempDir;
using tg::testing::write_bytes;

namespace {

void write_gzip(const fs::path& path, const std::string& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  BOOST_REQUIRE(file != nullptr);
  BOOST_REQUIRE_EQUAL(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  BOOST_REQUIRE_EQUAL(gzclose(file), Z_OK);
}

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

xt::xarray<float> reshaped(xt::xarray<float> values, const tg::Shape& shape) {
  values.reshape(shape);
  return values;
}

xt::xarray<float> two_images_expected() {
  return reshaped(scaled({0, 255, 51, 1, 2, 3, 10, 20, 30, 40, 50, 60}), {2, 2, 3});
}

// `label,pix0,...,pix783` with every pixel `pixel` except pix0 = first.
std::string csv_line(const std::string& label, const std::string& first, const std::string& pixel) {
  std::string line = label + "," + first;
  for (int i = 1; i < 784; ++i) line += "," + pixel;
  return line;
}

std::vector<std::size_t> flat_indices(const xt::xarray<float>& values) {
  std::vector<std::size_t> out;
  for (float v : values) out.push_back(static_cast<std::size_t>(v));
  return out;
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

BOOST_AUTO_TEST_CASE(csv_reads_exact_values) {
  TempDir dir("tapegrad_test_data");
  write_bytes(dir / "mnist.csv", csv_line("5", "255", "0") + "\n" + csv_line("0", "51", "3") + "\n");
  const auto set = tg::nn::read_mnist_csv(dir / "mnist.csv");
  BOOST_TEST(set.labels == (tg::Labels{5, 0}), boost::test_tools::per_element());
  BOOST_TEST(set.images.shape() == (tg::Shape{2, 28, 28}), boost::test_tools::per_element());
  BOOST_TEST(set.images(0, 0, 0) == 1.0f);
  BOOST_TEST(set.images(0, 27, 27) == 0.0f);
  BOOST_TEST(set.images(1, 0, 0) == 0.2f);
  BOOST_TEST(set.images(1, 13, 5) == 3.0f / 255.0f);

  // A header line, CRLF line ends, no final newline, gzip: all read the same.
  write_gzip(dir / "mnist.csv.gz", "label,pixel0,pixel1\r\n" + csv_line("5", "255", "0") + "\r\n" + csv_line("0", "51", "3"));
  const auto same = tg::nn::read_mnist_csv(dir / "mnist.csv.gz", {.flatten = true});
  BOOST_TEST(same.labels == set.labels, boost::test_tools::per_element());
  BOOST_TEST(same.images == reshaped(set.images, {2, 784}));
}

BOOST_AUTO_TEST_CASE(csv_errors_name_line_and_column) {
  TempDir dir("tapegrad_test_data");
  const std::string good = csv_line("1", "0", "0") + "\n";
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "absent.csv"), tg::Error,
                        message_contains({"read_mnist_csv", "absent.csv", "no such file"}));

  write_bytes(dir / "bad-number.csv", good + csv_line("2", "1x", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "bad-number.csv"), tg::Error,
                        message_contains({"bad-number.csv", "line 2", "bad field '1x' at column 2", "a pixel 0..255"}));

  const std::string last_empty = csv_line("3", "0", "0");
  write_bytes(dir / "empty-field.csv", good + good + last_empty.substr(0, last_empty.size() - 1) + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "empty-field.csv"), tg::Error,
                        message_contains({"empty-field.csv", "line 3", "bad field '' at column 785"}));

  write_bytes(dir / "big-label.csv", good + csv_line("10", "0", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "big-label.csv"), tg::Error,
                        message_contains({"big-label.csv", "line 2", "label 10 out of range at column 1", "a label 0..9"}));

  write_bytes(dir / "big-pixel.csv", csv_line("4", "256", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "big-pixel.csv"), tg::Error,
                        message_contains({"big-pixel.csv", "line 1", "pixel 256 out of range at column 2"}));

  write_bytes(dir / "negative.csv", csv_line("4", "-1", "0") + "\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "negative.csv"), tg::Error,
                        message_contains({"negative.csv", "bad field '-1' at column 2"}));

  write_bytes(dir / "short-row.csv", good + "7,1,2,3\n");
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(dir / "short-row.csv"), tg::Error,
                        message_contains({"short-row.csv", "line 2: 4 fields, expected 785"}));
}

BOOST_AUTO_TEST_CASE(supervised_dataset_like_pybrain) {
  tg::nn::SupervisedDataSet ds(2, 1);
  BOOST_TEST(ds.empty());
  ds.add_sample({0, 0}, {0});
  ds.add_sample({0, 1}, {1});
  ds.add_sample({1, 0}, {1});
  ds.add_sample(xt::xarray<float>{{1, 1}}, {0});  // any shape with input_dim values
  BOOST_TEST(ds.size() == 4u);
  BOOST_TEST(ds.input_dim() == 2u);
  BOOST_TEST(ds.target_dim() == 1u);
  BOOST_TEST(ds.inputs() == (xt::xarray<float>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
  BOOST_TEST(ds.targets() == reshaped({0, 1, 1, 0}, {4, 1}));

  const auto third = ds.sample(2);
  BOOST_TEST(third.input == (xt::xarray<float>{1, 0}));
  BOOST_TEST(third.target == (xt::xarray<float>{1}));

  std::size_t seen = 0;
  for (const auto& [input, target] : ds) {
    BOOST_TEST(input.shape() == (tg::Shape{2}), boost::test_tools::per_element());
    BOOST_TEST(target(0) == static_cast<float>(static_cast<int>(input(0)) ^ static_cast<int>(input(1))));
    ++seen;
  }
  BOOST_TEST(seen == 4u);

  ds.clear();
  BOOST_TEST(ds.size() == 0u);
  BOOST_TEST(ds.inputs().shape() == (tg::Shape{0, 2}), boost::test_tools::per_element());
  BOOST_TEST((ds.begin() == ds.end()));
}

BOOST_AUTO_TEST_CASE(supervised_dataset_shape_errors) {
  tg::nn::SupervisedDataSet ds(2, 1);
  BOOST_CHECK_EXCEPTION(ds.add_sample({1, 2, 3}, {1}), tg::Error,
                        message_contains({"SupervisedDataSet::add_sample", "input has shape (3)", "input dimension is 2"}));
  BOOST_CHECK_EXCEPTION(ds.add_sample({1, 2}, xt::xarray<float>{{1, 0}}), tg::Error,
                        message_contains({"target has shape (1,2)", "target dimension is 1"}));
  BOOST_TEST(ds.size() == 0u);  // a rejected sample leaves nothing behind
  BOOST_CHECK_EXCEPTION(ds.sample(0), tg::Error, message_contains({"index 0 out of range for 0 samples"}));
}

BOOST_AUTO_TEST_CASE(loader_batches_in_order_without_shuffle) {
  xt::xarray<float> inputs = xt::arange<float>(10.0f);
  inputs.reshape({10, 1});
  const xt::xarray<float> targets = 2.0f * inputs;
  tg::nn::DataLoader loader(inputs, targets, {.batch_size = 4});
  BOOST_TEST(loader.size() == 10u);
  BOOST_TEST(loader.num_batches() == 3u);

  std::vector<std::size_t> sizes;
  std::vector<std::size_t> order;
  for (const auto& [x, y] : loader) {
    sizes.push_back(x.shape()[0]);
    BOOST_TEST(x.shape()[1] == 1u);
    BOOST_TEST(y.value() == 2.0f * x.value());
    BOOST_TEST(!x.requires_grad());
    for (auto i : flat_indices(x.value())) order.push_back(i);
  }
  BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4, 2}), boost::test_tools::per_element());
  BOOST_TEST(order == (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), boost::test_tools::per_element());

  tg::nn::DataLoader dropping(inputs, targets, {.batch_size = 4, .drop_last = true});
  BOOST_TEST(dropping.num_batches() == 2u);
  sizes.clear();
  for (const auto& batch : dropping) sizes.push_back(batch.inputs.shape()[0]);
  BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4}), boost::test_tools::per_element());

  tg::nn::DataLoader exact(inputs, targets, {.batch_size = 5, .drop_last = true});
  BOOST_TEST(exact.num_batches() == 2u);
  tg::nn::DataLoader whole(inputs, targets, {.batch_size = 64});
  BOOST_TEST(whole.num_batches() == 1u);
  BOOST_TEST(whole.epoch(0).batch(0).inputs.value() == inputs);
  tg::nn::DataLoader too_few(inputs, targets, {.batch_size = 64, .drop_last = true});
  BOOST_TEST(too_few.num_batches() == 0u);
  BOOST_TEST((too_few.begin() == too_few.end()));
}

BOOST_AUTO_TEST_CASE(loader_with_labels_keeps_images_and_labels_together) {
  xt::xarray<float> images = xt::arange<float>(5 * 2 * 3);
  images.reshape({5, 2, 3});
  const tg::Labels labels{0, 1, 2, 3, 4};
  tg::nn::DataLoader loader(images, labels, {.batch_size = 2, .shuffle = true, .seed = 7});
  std::size_t seen = 0;
  for (const auto& [x, y] : loader) {
    BOOST_TEST(x.shape()[1] == 2u);
    BOOST_TEST(x.shape()[2] == 3u);
    BOOST_TEST(y.size() == x.shape()[0]);
    for (std::size_t i = 0; i < y.size(); ++i) BOOST_TEST(x.value()(i, 0, 0) == static_cast<float>(6 * y[i]));
    seen += y.size();
  }
  BOOST_TEST(seen == 5u);
}

BOOST_AUTO_TEST_CASE(shuffle_is_deterministic_and_covers_every_sample) {
  constexpr std::size_t n = 103;
  xt::xarray<float> inputs = xt::arange<float>(static_cast<float>(n));
  inputs.reshape({n, 1});
  tg::Labels labels(n, 0);
  const auto order_of = [](auto&& epoch) {
    std::vector<std::size_t> order;
    for (const auto& batch : epoch)
      for (auto i : flat_indices(batch.inputs.value())) order.push_back(i);
    return order;
  };

  tg::nn::DataLoader a(inputs, labels, {.batch_size = 10, .shuffle = true, .seed = 42});
  tg::nn::DataLoader b(inputs, labels, {.batch_size = 10, .shuffle = true, .seed = 42});
  tg::nn::DataLoader c(inputs, labels, {.batch_size = 10, .shuffle = true, .seed = 43});
  const auto a0 = order_of(a), a1 = order_of(a);  // iterating again runs the next epoch
  const auto b0 = order_of(b), b1 = order_of(b);
  BOOST_TEST(a0 == b0, boost::test_tools::per_element());
  BOOST_TEST(a1 == b1, boost::test_tools::per_element());
  BOOST_TEST((a0 != a1));
  BOOST_TEST((a0 != order_of(c)));
  BOOST_TEST(order_of(a.epoch(1)) == a1, boost::test_tools::per_element());
  BOOST_TEST(a.epoch(1).order() == a1, boost::test_tools::per_element());

  for (const auto& order : {a0, a1, order_of(c)}) {
    BOOST_TEST(order.size() == n);
    BOOST_TEST(std::set<std::size_t>(order.begin(), order.end()).size() == n);  // each exactly once
    BOOST_TEST(*std::max_element(order.begin(), order.end()) == n - 1);
  }

  // Pinned: the shuffle must give this order on every machine and library.
  BOOST_TEST(tg::nn::shuffled_indices(10, 42, 0) == (std::vector<std::size_t>{0, 6, 5, 1, 3, 9, 7, 8, 4, 2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(uniform_below_is_uniform) {
  std::mt19937_64 gen(1);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 30000; ++i) ++counts[tg::nn::uniform_below(gen, 3)];
  for (int count : counts) BOOST_TEST(std::abs(count - 10000) < 400);
  BOOST_TEST(tg::nn::uniform_below(gen, 1) == 0u);
}

BOOST_AUTO_TEST_CASE(loader_errors) {
  const xt::xarray<float> inputs = xt::zeros<float>({10, 3});
  BOOST_CHECK_EXCEPTION(tg::nn::DataLoader(inputs, xt::xarray<float>(xt::zeros<float>({9, 1}))), tg::Error,
                        message_contains({"DataLoader", "inputs have shape (10,3) (10 samples) but targets have shape (9,1)"}));
  BOOST_CHECK_EXCEPTION(tg::nn::DataLoader(inputs, tg::Labels(11)), tg::Error,
                        message_contains({"(10 samples) but there are 11 labels"}));
  BOOST_CHECK_EXCEPTION(tg::nn::DataLoader(inputs, tg::Labels(10), {.batch_size = 0}), tg::Error,
                        message_contains({"batch_size must be at least 1"}));
  tg::nn::DataLoader loader(inputs, tg::Labels(10), {.batch_size = 4});
  BOOST_CHECK_EXCEPTION(loader.epoch(0).batch(3), tg::Error, message_contains({"batch 3 out of range for 3 batches"}));
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
