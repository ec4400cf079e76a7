#include "nn/data/mnist.hpp"

#include <cstdint>

#include "autograd/element_count.hpp"
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

// An IDX file of unsigned bytes: the sizes its header gives, then each of sizes[0] records.
struct IdxFile {
  Shape sizes;
  std::string bytes;  // the header, then the payload
  std::size_t header_size;
};

// Every size in the header is checked against overflow and against the file's real size (for
// gzip, the most its content can be) before anything is read beyond the header.
class IdxReader {
 public:
  IdxReader(const char* op, const std::filesystem::path& path) : op_(op), path_(path) {}

  IdxFile read(std::uint32_t magic, std::size_t dims, const char* record) const;

 private:
  [[noreturn]] void fail(const std::string& what) const { throw Error(std::string(op_) + ": " + path_.string() + ": " + what); }
  Shape read_header(const std::string& header, std::uint32_t magic, std::size_t dims) const;
  // `content` bytes hold exactly `count` records of `record_size` after the header; `exact`:
  // `content` is the true size (otherwise the read stopped one byte after the expected end).
  void check_payload(std::uintmax_t content, std::size_t header_size, std::size_t count, std::size_t record_size,
                     const char* record, bool exact) const;

  const char* op_;
  const std::filesystem::path& path_;
};

Shape IdxReader::read_header(const std::string& header, std::uint32_t magic, std::size_t dims) const {
  const std::size_t header_size = 4 * (1 + dims);
  if (header.size() >= 4) {
    const std::uint32_t found = big_endian_u32(header, 0);
    if (found != magic) {
      std::string what = "wrong magic number " + std::to_string(found) + " (expected " + std::to_string(magic) + ")";
      if (found == image_magic) what += "; this is an IDX image file";
      if (found == label_magic) what += "; this is an IDX label file";
      fail(what);
    }
  }
  if (header.size() < header_size)
    fail("truncated header: " + std::to_string(header.size()) + " bytes, expected at least " +
         std::to_string(header_size));
  Shape sizes(dims);
  for (std::size_t d = 0; d < dims; ++d) sizes[d] = big_endian_u32(header, 4 * (1 + d));
  return sizes;
}

void IdxReader::check_payload(std::uintmax_t content, std::size_t header_size, std::size_t count,
                              std::size_t record_size, const char* record, bool exact) const {
  const std::uintmax_t payload = content - header_size;
  const std::uintmax_t whole = record_size ? payload / record_size : count;
  if (whole < count)
    fail(std::string("truncated at ") + record + " " + std::to_string(whole) + " of " + std::to_string(count) +
         " (the file has " + std::to_string(content) + " bytes)");
  if (payload != count * record_size)
    fail((exact ? std::to_string(payload - count * record_size) + " unexpected bytes" : std::string("unexpected bytes")) +
         " after the last " + record);
}

IdxFile IdxReader::read(std::uint32_t magic, std::size_t dims, const char* record) const {
  const std::size_t header_size = 4 * (1 + dims);
  IdxFile file{read_header(read_file(path_, op_, header_size), magic, dims), {}, header_size};
  const Shape& sizes = file.sizes;
  try {
    element_count(sizes, op_);
  } catch (const Error&) {
    fail("the header's shape " + shape_str(sizes) + " is too large");
  }
  const std::size_t count = sizes[0], record_size = element_count(Shape(sizes.begin() + 1, sizes.end()), op_);
  const std::size_t expected = header_size + count * record_size;  // at most 2^60 + 16: no overflow
  const StoredFile stored = stat_file(path_, op_);
  if (!stored.gzip) check_payload(stored.size, header_size, count, record_size, record, true);
  if (stored.gzip && expected > stored.max_content_size())
    fail("the header claims " + std::to_string(count) + " " + record + "s of " + std::to_string(record_size) +
         " bytes, more than a gzip file of " + std::to_string(stored.size) + " bytes can hold");
  file.bytes = read_file(path_, op_, expected + 1);  // one more byte tells whether anything follows
  check_payload(file.bytes.size(), header_size, count, record_size, record, !stored.gzip);
  return file;
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
  const IdxFile file = IdxReader("read_idx_images", path).read(image_magic, 3, "image");
  auto images = xt::xarray<float>::from_shape(file.sizes);
  const auto* pixels = reinterpret_cast<const unsigned char*>(file.bytes.data()) + file.header_size;
  for (std::size_t i = 0; i < images.size(); ++i) images.data()[i] = static_cast<float>(pixels[i]) / 255.0f;
  return images;
}

Labels read_idx_labels(const std::filesystem::path& path, std::size_t num_classes) {
  constexpr const char* op = "read_idx_labels";
  const IdxFile file = IdxReader(op, path).read(label_magic, 1, "label");
  Labels labels(file.sizes[0]);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    labels[i] = static_cast<unsigned char>(file.bytes[file.header_size + i]);
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
