#include "nn/data/read_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "autograd/error.hpp"

namespace tg::nn {

namespace {

[[noreturn]] void fail(const char* op, const std::filesystem::path& path, const std::string& what) {
  throw Error(std::string(op) + ": " + path.string() + ": " + what);
}

constexpr std::uintmax_t deflate_max_ratio = 1032;

}  // namespace

std::uintmax_t StoredFile::max_content_size() const {
  if (!gzip) return size;
  return size > std::numeric_limits<std::uintmax_t>::max() / deflate_max_ratio ? std::numeric_limits<std::uintmax_t>::max()
                                                                                : size * deflate_max_ratio;
}

StoredFile stat_file(const std::filesystem::path& path, const char* op) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(op, path, "no such file");
  if (!std::filesystem::is_regular_file(path, ec)) fail(op, path, "not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(op, path, std::string("cannot open: ") + std::strerror(errno ? errno : EIO));
  StoredFile file;
  file.size = std::filesystem::file_size(path, ec);
  if (ec) fail(op, path, "cannot read its size: " + ec.message());
  unsigned char magic[2] = {};
  in.read(reinterpret_cast<char*>(magic), 2);
  file.gzip = in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  return file;
}

std::string read_file(const std::filesystem::path& path, const char* op, std::size_t max_bytes) {
  stat_file(path, op);
  // gzread passes files without the gzip magic through unchanged, so one path reads both.
  errno = 0;
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) fail(op, path, std::string("cannot open: ") + std::strerror(errno ? errno : EIO));
  gzbuffer(file.get(), 1 << 17);

  // Grown a chunk at a time, so that memory follows what the file really holds.
  std::string bytes;
  constexpr std::size_t chunk = 1 << 20;
  while (bytes.size() < max_bytes) {
    const std::size_t used = bytes.size(), want = std::min(chunk, max_bytes - used);
    bytes.resize(used + want);
    const int got = gzread(file.get(), bytes.data() + used, static_cast<unsigned>(want));
    bytes.resize(used + static_cast<std::size_t>(std::max(got, 0)));
    if (got < static_cast<int>(want)) break;
  }
  // A gzip stream cut short reads as a short file without failing gzread: check either way.
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code == Z_ERRNO) fail(op, path, std::string("cannot read: ") + std::strerror(errno));
  if (code != Z_OK) fail(op, path, std::string("corrupt gzip data: ") + message);
  return bytes;
}

}  // namespace tg::nn
