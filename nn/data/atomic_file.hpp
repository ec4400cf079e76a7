#pragma once
// Replacing a file so that a crash or a failed write never leaves it half written: the bytes go
// to `path.tmp`, are flushed to disk, and only then renamed over `path`.
#include <string>
#include <string_view>

namespace tg::nn {

// On failure throws tg::Error naming `op` and the file, removes the temporary file and leaves
// `path` as it was.
void write_atomically(const std::string& path, std::string_view bytes, const char* op);

}  // namespace tg::nn
