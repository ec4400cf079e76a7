#pragma once
// Thread-local grad mode: while disabled, operations record nothing on the tape.

namespace tg {

class GradMode {
 public:
  static bool enabled();
  static void set_enabled(bool enabled);
};

// RAII switch of the thread's grad mode; restores the previous mode on exit.
class GradModeGuard {
 public:
  explicit GradModeGuard(bool enabled) : previous_(GradMode::enabled()) { GradMode::set_enabled(enabled); }
  ~GradModeGuard() { GradMode::set_enabled(previous_); }
  GradModeGuard(const GradModeGuard&) = delete;
  GradModeGuard& operator=(const GradModeGuard&) = delete;

 private:
  bool previous_;
};

// Nothing is recorded while it lives: inference, optimizer steps, metric computation.
class NoGradGuard : public GradModeGuard {
 public:
  NoGradGuard() : GradModeGuard(false) {}
};

}  // namespace tg
