#include "nn/data/mnist.hpp"

#include <cstdint>

#include "autograd/shape.hpp"
#include "nn/data/read_file.hpp"

namespace tg::nn {

namespace {

constexpr std::uint32_t image_magic = 2051;  // 0x00000803: unsigned bytes, 3 dimensions
constexpr std::uint32_t label_magic = 2049;  // 0x00000801: unsigned bytes, 1 dimension

[[noreturn]] void fail(const char* op, const std::filesystem::path& path, const std::string& what) {
  throw Error(std::string(op) + ": " + path.string() + ": " + what);
}

std::uint32_t big_endian_u32(const std::string& bytes, std::size_t offset) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[offset + i]);
  return value;
}

// The header's big-endian integers after checking the magic; the payload follows them.
std::vector<std::size_t> read_header(const std::string& bytes, std::uint32_t magic, std::size_t dims,
                                     const char* op, const std::filesystem::path& path) {
  const std::size_t header_size = 4 * (1 + dims);
  if (bytes.size() >= 4) {
    const std::uint32_t found = big_endian_u32(bytes, 0);
    if (found != magic) {
      std::string what = "wrong magic number " + std::to_string(found) + " (expected " + std::to_string(magic) + ")";
      if (found == image_magic) what += "; this is an IDX image file";
      if (found == label_magic) what += "; this is an IDX label file";
      fail(op, path, what);
    }
  }
  if (bytes.size() < header_size)
    fail(op, path, "truncated header: " + std::to_string(bytes.size()) + " bytes, expected at least " +
                       std::to_string(header_size));
  std::vector<std::size_t> sizes(dims);
  for (std::size_t d = 0; d < dims; ++d) sizes[d] = big_endian_u32(bytes, 4 * (1 + d));
  return sizes;
}

// Checks the payload holds exactly `count` records of `record_size` bytes.
void check_payload(const std::string& bytes, std::size_t header_size, std::size_t count, std::size_t record_size,
                   const char* record, const char* op, const std::filesystem::path& path) {
  const std::size_t payload = bytes.size() - header_size;
  const std::size_t whole = record_size ? payload / record_size : count;
  if (whole < count)
    fail(op, path, std::string("truncated at ") + record + " " + std::to_string(whole) + " of " +
                       std::to_string(count) + " (the file has " + std::to_string(bytes.size()) + " bytes)");
  if (payload != count * record_size)
    fail(op, path, std::to_string(payload - count * record_size) + " unexpected bytes after the last " + record);
}

std::filesystem::path find_idx(const std::filesystem::path& dir, const std::string& name) {
  const std::filesystem::path raw = dir / name;
  const std::filesystem::path gz = dir / (name + ".gz");
  std::error_code ec;
  if (std::filesystem::exists(raw, ec)) return raw;
  if (std::filesystem::exists(gz, ec)) return gz;
  throw Error("load_mnist: neither " + raw.string() + " nor " + gz.string() +
              " exists (scripts/fetch_mnist.sh downloads MNIST into data/mnist)");
}

}  // namespace

xt::xarray<float> read_idx_images(const std::filesystem::path& path) {
  constexpr const char* op = "read_idx_images";
  const std::string bytes = read_file(path, op);
  const auto sizes = read_header(bytes, image_magic, 3, op, path);
  const std::size_t count = sizes[0], rows = sizes[1], cols = sizes[2];
  check_payload(bytes, 16, count, rows * cols, "image", op, path);

  auto images = xt::xarray<float>::from_shape({count, rows, cols});
  const auto* pixels = reinterpret_cast<const unsigned char*>(bytes.data()) + 16;
  for (std::size_t i = 0; i < images.size(); ++i) images.data()[i] = static_cast<float>(pixels[i]) / 255.0f;
  return images;
}

Labels read_idx_labels(const std::filesystem::path& path, std::size_t num_classes) {
  constexpr const char* op = "read_idx_labels";
  const std::string bytes = read_file(path, op);
  const std::size_t count = read_header(bytes, label_magic, 1, op, path)[0];
  check_payload(bytes, 8, count, 1, "label", op, path);

  Labels labels(count);
  for (std::size_t i = 0; i < count; ++i) {
    labels[i] = static_cast<unsigned char>(bytes[8 + i]);
    if (labels[i] >= num_classes)
      fail(op, path, "label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                         " is out of range [0, " + std::to_string(num_classes) + ")");
  }
  return labels;
}

MnistSet load_mnist(const std::filesystem::path& dir, const std::string& split, const MnistOptions& options) {
  if (split != "train" && split != "t10k")
    throw Error("load_mnist: split must be \"train\" or \"t10k\", got \"" + split + "\"");
  const auto images_path = find_idx(dir, split + "-images-idx3-ubyte");
  const auto labels_path = find_idx(dir, split + "-labels-idx1-ubyte");
  MnistSet set{read_idx_images(images_path), read_idx_labels(labels_path)};
  const std::size_t count = set.images.shape()[0];
  if (set.labels.size() != count)
    throw Error("load_mnist: " + labels_path.string() + " has " + std::to_string(set.labels.size()) +
                " labels but " + images_path.string() + " has " + std::to_string(count) + " images");
  if (options.flatten) set.images.reshape({count, set.images.shape()[1] * set.images.shape()[2]});
  return set;
}

}  // namespace tg::nn
