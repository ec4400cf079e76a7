#pragma once
// Replacing a file so that a crash, a kill, a full disk or a concurrent save never leaves it
// half written: the bytes go to a temporary file of this save alone in the same directory
// ("<name>.tmp.<6 random characters>"), are flushed to disk, and only then renamed over `path`,
// and the directory is flushed too. Temporaries left by saves that were killed are removed by
// the next save of the same path.
#include <string>
#include <string_view>

namespace tg::nn {

// On failure throws tg::Error naming `op`, the file and the system's reason, removes the
// temporary file and leaves `path` as it was.
void write_atomically(const std::string& path, std::string_view bytes, const char* op);

}  // namespace tg::nn
