#include "nn/data/atomic_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "autograd/error.hpp"

namespace tg::nn {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view temp_infix = ".tmp.";  // "run.safetensors.tmp.k3Xq9Z"
constexpr std::size_t temp_suffix_length = 6;

[[noreturn]] void fail(const char* op, const std::string& what, int error) {
  throw Error(std::string(op) + ": " + what + ": " + std::strerror(error));
}

// Writes every byte, resuming after interruptions and short writes; returns 0 or the errno.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

bool same_file(int fd, const fs::path& path) {
  struct stat open_file {}, named {};
  return ::fstat(fd, &open_file) == 0 && ::lstat(path.c_str(), &named) == 0 && open_file.st_dev == named.st_dev &&
         open_file.st_ino == named.st_ino;
}

bool is_temporary_of(const std::string& entry, const std::string& name) {
  return entry.size() == name.size() + temp_infix.size() + temp_suffix_length && entry.starts_with(name) &&
         std::string_view(entry).substr(name.size(), temp_infix.size()) == temp_infix;
}

// A save holds its temporary file locked until it is renamed into place; the kernel drops the
// lock when a process dies. So a temporary that can be locked was left by a killed save.
void remove_stale_temporaries(const fs::path& dir, const std::string& name) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir.empty() ? "." : dir, ec)) {
    if (!is_temporary_of(entry.path().filename().string(), name)) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && same_file(fd, entry.path())) ::unlink(entry.path().c_str());
    ::close(fd);
  }
}

// A new file next to `path`, named "<name>.tmp.<6 random letters or digits>", opened for writing
// and locked. Like mkstemp, but with the permissions a plain open gives (mkstemp's are 0600).
int create_temporary(const fs::path& path, std::string& temp, const char* op) {
  static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 random{std::random_device{}() ^ static_cast<std::uint64_t>(::getpid())};
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp = path.string() + std::string(temp_infix);
    for (std::size_t i = 0; i < temp_suffix_length; ++i) temp += letters[random() % (sizeof letters - 1)];
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) fail(op, "cannot create a temporary file " + temp, errno);
    // Another save may have taken it for stale between the open and the lock: then start again.
    if (::flock(fd, LOCK_EX) == 0 && same_file(fd, temp)) return fd;
    ::close(fd);
  }
  fail(op, "cannot create a temporary file next to " + path.string(), EEXIST);
}

// Makes the rename itself durable; a file system that cannot sync a directory loses nothing by it.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_atomically(const std::string& path, std::string_view bytes, const char* op) {
  const fs::path target(path), dir = target.parent_path();
  remove_stale_temporaries(dir, target.filename().string());
  std::string temp;
  const int fd = create_temporary(target, temp, op);
  int error = write_all(fd, bytes);
  if (!error && ::fsync(fd) != 0) error = errno;
  if (error) {
    ::unlink(temp.c_str());
    ::close(fd);
    fail(op, "cannot write " + temp, error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    error = errno;
    ::unlink(temp.c_str());
    ::close(fd);
    fail(op, "cannot rename " + temp + " to " + path, error);
  }
  ::close(fd);  // only now: until the rename, the lock marks the temporary as in use
  sync_directory(dir);
}

}  // namespace tg::nn
