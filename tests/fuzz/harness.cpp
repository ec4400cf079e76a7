// The libFuzzer entry points shared by every harness, and the harnesses' helpers.
#include "tests/fuzz/harness.hpp"

#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "autograd/error.hpp"

namespace tg::fuzz {

std::string input_file(std::string_view bytes) {
  // One file in memory per process, reached through /proc: no disk writes per input.
  static const int fd = ::memfd_create("tapegrad-fuzz-input", MFD_CLOEXEC);
  if (fd < 0 || ::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
    violated("the input file could not be written");
  return "/proc/self/fd/" + std::to_string(fd);
}

std::string gzip(std::string_view bytes) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) violated("deflateInit2 failed");
  std::string out(deflateBound(&stream, bytes.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  if (deflate(&stream, Z_FINISH) != Z_STREAM_END) violated("deflate failed");
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

void write_seed(const std::filesystem::path& dir, const std::string& name, std::string_view bytes) {
  std::ofstream(dir / name, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string idx_file(std::uint32_t magic, std::initializer_list<std::uint32_t> sizes, std::string_view payload) {
  std::string out;
  const auto append = [&out](std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(value >> shift);
  };
  append(magic);
  for (const std::uint32_t size : sizes) append(size);
  return out + std::string(payload);
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) violated("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void violated(const std::string& property) {
  std::fprintf(stderr, "tapegrad fuzz: %s\n", property.c_str());
  std::abort();
}

}  // namespace tg::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("TAPEGRAD_FUZZ_SEEDS")) {
    std::filesystem::create_directories(dir);
    tg::fuzz::write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    tg::fuzz::read_input(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const tg::Error&) {  // a clear error is the right answer to bad input
  }
  return 0;
}
