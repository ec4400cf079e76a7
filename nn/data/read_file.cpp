#include "nn/data/read_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "autograd/shape.hpp"

namespace tg::nn {

namespace {

[[noreturn]] void fail(const char* op, const std::filesystem::path& path, const std::string& what) {
  throw Error(std::string(op) + ": " + path.string() + ": " + what);
}

}  // namespace

std::string read_file(const std::filesystem::path& path, const char* op) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(op, path, "no such file");
  if (!std::filesystem::is_regular_file(path, ec)) fail(op, path, "not a regular file");

  // gzread passes files without the gzip magic through unchanged, so one path reads both.
  errno = 0;
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) fail(op, path, std::string("cannot open: ") + std::strerror(errno ? errno : EIO));
  gzbuffer(file.get(), 1 << 17);

  std::string bytes;
  constexpr std::size_t chunk = 1 << 20;
  for (;;) {
    const std::size_t used = bytes.size();
    bytes.resize(used + chunk);
    const int got = gzread(file.get(), bytes.data() + used, static_cast<unsigned>(chunk));
    bytes.resize(used + static_cast<std::size_t>(std::max(got, 0)));
    if (got < static_cast<int>(chunk)) break;
  }
  // A gzip stream cut short reads as a short file without failing gzread: check either way.
  int code = Z_OK;
  const char* message = gzerror(file.get(), &code);
  if (code == Z_ERRNO) fail(op, path, std::string("cannot read: ") + std::strerror(errno));
  if (code != Z_OK) fail(op, path, std::string("corrupt gzip data: ") + message);
  return bytes;
}

}  // namespace tg::nn
