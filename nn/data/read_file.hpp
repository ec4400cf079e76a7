#pragma once
// Reading a data file into memory, transparently decompressing gzip, with a bound on how much
// is read so that a reader can check what a header claims before it trusts it.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

namespace tg::nn {

// A data file as stored, before its content is read.
struct StoredFile {
  std::uintmax_t size = 0;  // bytes on disk
  bool gzip = false;        // starts with the gzip magic
  // The most bytes the content can have: the size, or for gzip what deflate's largest
  // expansion (1032 to 1) makes of it.
  std::uintmax_t max_content_size() const;
};

// Checks that `path` is a regular, readable file. `op` names the caller in errors, which also
// name the file (missing, not a regular file, unreadable).
StoredFile stat_file(const std::filesystem::path& path, const char* op);

// The file's content, gunzipped when it starts with the gzip magic: all of it, or its first
// `max_bytes` bytes. Errors name `op` and the file (see stat_file; corrupt gzip data).
std::string read_file(const std::filesystem::path& path, const char* op,
                      std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

}  // namespace tg::nn
