#include "nn/train/progress.hpp"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace tg::nn {
namespace {

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

}  // namespace

bool is_terminal(const std::ostream& out) { return &out == &std::cout && ::isatty(STDOUT_FILENO); }

ProgressBar::ProgressBar(std::ostream& out, std::size_t total, bool terminal)
    : out_(out), total_(total), terminal_(terminal), start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

double ProgressBar::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressBar::update(std::size_t done, const std::string& status) {
  if (!terminal_ || total_ == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;  // redraw 10 times a second
  last_draw_ = now;
  constexpr std::size_t width = 30;
  const std::size_t filled = width * done / total_;
  std::string bar(filled, '=');
  if (filled < width) bar += '>' + std::string(width - filled - 1, '.');
  const double elapsed = elapsed_seconds();
  const double eta = done == 0 ? 0 : elapsed * static_cast<double>(total_ - done) / static_cast<double>(done);
  out_ << "\r" << done << "/" << total_ << " [" << bar << "] ETA " << clock_text(eta) << " - " << status << "\033[K"
       << std::flush;
}

void ProgressBar::finish(const std::string& line) {
  if (terminal_) out_ << "\r\033[K";
  out_ << line << std::endl;
}

}  // namespace tg::nn
