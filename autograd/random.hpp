#pragma once
// A seeded generator whose numbers are the same on every machine: mt19937_64 is fully
// specified by the standard, and the conversions below are ours (std distributions are not).
#include <cstdint>
#include <random>
#include <string>

namespace tg {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0) : engine_(seed) {}
  std::uint64_t next() { return engine_(); }
  double uniform();               // [0, 1)
  double normal();                // standard normal (Box-Muller)
  std::uint64_t below(std::uint64_t n);  // uniform integer in [0, n)
  std::mt19937_64& engine() { return engine_; }

  // The whole state as text (the engine's words and a pending normal), for checkpoints.
  std::string state() const;
  // Throws tg::Error, leaving the generator unchanged, when `text` is not a state().
  void set_state(const std::string& text);

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0;
};

}  // namespace tg
