// Files crafted to break the readers (the findings of issue 11's probe, each kept as a
// regression test): every one is a tg::Error naming the file, found before anything large is
// allocated, and never a crash, a wrapped-around size or a slow parse.
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>
#include <zlib.h>

#include <ctime>
#include <cstdint>
#include <filesystem>
#include <string>

#include "nn/io/safetensors.hpp"
#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"
#include "tests/sanitizers.hpp"

namespace {

namespace fs = std::filesystem;
namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::TempDir;
using tg::testing::write_bytes;

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
          static_cast<char>(value)};
}

std::string idx_header(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
  return big_endian(2051) + big_endian(count) + big_endian(rows) + big_endian(cols);
}

// One gzip member holding `bytes`; gzip readers read members written back to back as one stream.
std::string gzip_member(const std::string& bytes) {
  z_stream stream{};
  BOOST_TEST_REQUIRE(deflateInit2(&stream, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  BOOST_TEST_REQUIRE(deflate(&stream, Z_FINISH) == Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

long peak_resident_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// A safetensors file of one F32 tensor whose entry has `key` replaced by `value`.
std::string safetensors_with(const std::string& key, const std::string& value) {
  std::string entry = R"({"dtype":"F32","shape":[1],"data_offsets":[0,4]})";
  const std::string field = "\"" + key + "\":";
  const auto at = entry.find(field) + field.size();
  entry.replace(at, entry.find_first_of(",}", at) - at, value);
  const std::string header = R"({"w":)" + entry + "}";
  std::string length;
  for (int i = 0; i < 8; ++i) length += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return length + header + std::string(4, '\0');
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crafted_files)

BOOST_AUTO_TEST_CASE(idx_image_size_that_overflows) {
  // (0, 2^32-1, 2^32-1): no images, but rows x cols near 2^64 overflowed xtensor's strides.
  TempDir dir("tapegrad_crafted");
  write_bytes(dir / "huge-images", idx_header(0, 0xffffffff, 0xffffffff));
  BOOST_CHECK_EXCEPTION(nn::read_idx_images(dir / "huge-images"), tg::Error,
                        message_contains({"read_idx_images: " + (dir / "huge-images").string(),
                                          "the header's shape (0,4294967295,4294967295) is too large"}));
}

BOOST_AUTO_TEST_CASE(idx_header_claiming_ten_to_the_twelve_pixels) {
  TempDir dir("tapegrad_crafted");
  const std::string header = idx_header(1000000, 1000, 1000);
  write_bytes(dir / "claims", header);
  BOOST_CHECK_EXCEPTION(nn::read_idx_images(dir / "claims"), tg::Error,
                        message_contains({(dir / "claims").string(), "truncated at image 0 of 1000000 (the file has 16 bytes)"}));
  write_bytes(dir / "claims.gz", gzip_member(header + std::string(1000, '\0')));
  BOOST_CHECK_EXCEPTION(nn::read_idx_images(dir / "claims.gz"), tg::Error,
                        message_contains({(dir / "claims.gz").string(), "the header claims 1000000 images of 1000000 bytes",
                                          "more than a gzip file of"}));
}

BOOST_AUTO_TEST_CASE(gzip_stream_far_longer_than_its_header_says) {
  // 2 GiB of zeros in 2 MB of gzip after a header of one 2x2 image: the reader stops after the
  // image instead of inflating it all (once 2 GiB, then std::bad_alloc).
  TempDir dir("tapegrad_crafted");
  const std::string zeros = gzip_member(std::string(1 << 20, '\0'));
  std::string bomb = gzip_member(idx_header(1, 2, 2) + std::string(4, '\x7f'));
  for (int i = 0; i < 2048; ++i) bomb += zeros;
  write_bytes(dir / "bomb.gz", bomb);
  const long peak_before = peak_resident_kib();
  BOOST_CHECK_EXCEPTION(nn::read_idx_images(dir / "bomb.gz"), tg::Error,
                        message_contains({(dir / "bomb.gz").string(), "unexpected bytes after the last image"}));
  BOOST_TEST(peak_resident_kib() - peak_before < 64 * 1024, "the peak resident set grew by "
                                                                << (peak_resident_kib() - peak_before) / 1024 << " MiB");
}

BOOST_AUTO_TEST_CASE(safetensors_values_nested_70000_deep) {
  // Printing the bad value in the error recursed once per level and overflowed the stack.
  TempDir dir("tapegrad_crafted");
  const std::string deep = std::string(70000, '[') + std::string(70000, ']');
  nn::Linear model(1, 1);
  for (const std::string key : {"dtype", "shape", "data_offsets"}) {
    write_bytes(dir / "deep.safetensors", safetensors_with(key, deep));
    const auto says = message_contains({(dir / "deep.safetensors").string(), "the header nests more than 64 levels deep"});
    BOOST_CHECK_EXCEPTION(nn::read_safetensors(dir / "deep.safetensors"), tg::Error, says);
    BOOST_CHECK_EXCEPTION(nn::load_weights(dir / "deep.safetensors", model), tg::Error, says);
    tg::optim::SGD sgd(model.parameters(), {.lr = 0.1});
    BOOST_CHECK_EXCEPTION(nn::load_checkpoint(dir / "deep.safetensors", model, sgd), tg::Error, says);
  }
  // 64 levels are read (and refused for what they are): the header, the entry and 62 lists.
  const std::string nested = std::string(62, '[') + "1" + std::string(62, ']');
  write_bytes(dir / "nested.safetensors", safetensors_with("shape", nested));
  BOOST_CHECK_EXCEPTION(nn::read_safetensors(dir / "nested.safetensors"), tg::Error,
                        message_contains({"tensor 'w': the shape [[[[[", "...", "is not a list of non-negative integers"}));
}

BOOST_AUTO_TEST_CASE(checkpoint_metadata_nested_70000_deep) {
  TempDir dir("tapegrad_crafted");
  nn::Linear model(1, 1);
  tg::optim::Adam adam(model.parameters());
  const std::string path = (dir / "run.safetensors").string();
  nn::save_checkpoint(path, model, adam);
  const std::string deep = std::string(70000, '[') + std::string(70000, ']');
  for (const std::string key : {"modules", "optimizer", "extra_states", "history"}) {
    nn::Safetensors file = nn::read_safetensors(path);
    file.metadata[key] = deep;
    nn::write_safetensors((dir / "deep.safetensors").string(), file);
    BOOST_CHECK_EXCEPTION(nn::load_checkpoint((dir / "deep.safetensors").string(), model, adam), tg::Error,
                          message_contains({"the metadata '" + key + "' nests more than 64 levels deep"}));
  }
}

BOOST_AUTO_TEST_CASE(safetensors_shape_whose_count_overflows) {
  TempDir dir("tapegrad_crafted");
  write_bytes(dir / "wrap.safetensors", safetensors_with("shape", "[0,4294967296,4294967296]"));
  BOOST_CHECK_EXCEPTION(nn::read_safetensors(dir / "wrap.safetensors"), tg::Error,
                        message_contains({"tensor 'w': the shape [0,4294967296,4294967296] is too large"}));
}

BOOST_AUTO_TEST_CASE(a_header_of_100000_tensors_opens_in_linear_time) {
  // An insertion-ordered JSON map scanned every earlier key on each insert: 11 s for this file.
  TempDir dir("tapegrad_crafted");
  nn::Safetensors file;
  for (int i = 0; i < 100000; ++i) file.insert("layer" + std::to_string(i) + ".weight", xt::xarray<float>{float(i)});
  // CPU time: the wall clock of a machine shared with other builds says more about them.
  const double started = cpu_seconds();
  nn::write_safetensors(dir / "many.safetensors", file);
  const double written = cpu_seconds();
  const nn::Safetensors back = nn::read_safetensors(dir / "many.safetensors");
  const double opened = cpu_seconds();
  BOOST_TEST_MESSAGE("100,000 tensors: written in " << written - started << " s, opened in " << opened - written
                                                    << " s of CPU time");
  BOOST_TEST(back.size() == 100000u);
  BOOST_TEST(back.get<float>("layer99999.weight")(0) == 99999.0f);
  BOOST_TEST(std::next(back.begin(), 12345)->first == "layer12345.weight");  // the order of the data
  // Far below the quadratic 11 s; ASan + UBSan (scripts/test.sh --sanitize) take 5 s for each.
  const double limit = tg::testing::under_address_sanitizer ? 20.0 : 2.0;
  BOOST_TEST(opened - written < limit);
  BOOST_TEST(written - started < limit);
}

BOOST_AUTO_TEST_CASE(bmp_whose_compression_field_is_negative_to_stb_image) {
  // Found by scripts/fuzz.sh (image): stb_image reads the compression 0xC2C2C25B as a negative
  // int, decodes uncompressed rows, and filled 16777215x5 pixels from a 119-byte file.
  const auto u16 = [](std::uint32_t v) { return std::string{static_cast<char>(v), static_cast<char>(v >> 8)}; };
  const auto u32 = [&](std::uint32_t v) { return u16(v & 0xffff) + u16(v >> 16); };
  const std::string header = "BM" + u32(119) + u32(0) + u32(54) + u32(40) + u32(16777215) + u32(5) + u16(1) + u16(24) +
                             u32(0xC2C2C25Bu) + u32(0) + u32(0) + u32(0) + u32(0) + u32(0);
  TempDir dir("tapegrad_crafted");
  write_bytes(dir / "wide.bmp", header + std::string(119 - header.size(), '\xC2'));
  BOOST_CHECK_EXCEPTION(nn::read_image(dir / "wide.bmp"), tg::Error,
                        message_contains({(dir / "wide.bmp").string(), "truncated BMP",
                                          "the pixel data ends after 119 of 251658294 bytes"}));
}

BOOST_AUTO_TEST_SUITE_END()
