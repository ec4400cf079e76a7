#pragma once
// Reading a whole data file into memory, transparently decompressing gzip.
#include <filesystem>
#include <string>

namespace tg::nn {

// The file's bytes, gunzipped when it starts with the gzip magic. `op` names the caller in
// errors, which also name the file (missing, not a regular file, unreadable, corrupt gzip).
std::string read_file(const std::filesystem::path& path, const char* op);

}  // namespace tg::nn
