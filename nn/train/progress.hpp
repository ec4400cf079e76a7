#pragma once
// fit()'s progress: a bar with an ETA redrawn in place on a terminal, nothing until the
// epoch's line otherwise (logs and CI output stay readable).
#include <chrono>
#include <cstddef>
#include <iosfwd>
#include <string>

namespace tg::nn {

class ProgressBar {
 public:
  ProgressBar(std::ostream& out, std::size_t total, bool terminal);
  // `done` of `total` steps finished; `status` is e.g. "loss: 0.1234".
  void update(std::size_t done, const std::string& status);
  // Replaces the bar with the epoch's summary line.
  void finish(const std::string& line);
  double elapsed_seconds() const;

 private:
  std::ostream& out_;
  std::size_t total_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

// True when `out` is std::cout and standard output is a terminal.
bool is_terminal(const std::ostream& out);

}  // namespace tg::nn
