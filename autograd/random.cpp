#include "autograd/random.hpp"

#include <bit>
#include <cmath>
#include <numbers>
#include <sstream>

#include "autograd/shape.hpp"

namespace tg {

double Generator::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;  // the top 53 bits
}

double Generator::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - uniform();  // in (0, 1]: log is finite
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
  has_spare_ = true;
  return r * std::cos(2.0 * std::numbers::pi * u2);
}

std::uint64_t Generator::below(std::uint64_t n) {
  // Rejection keeps every value equally likely.
  const std::uint64_t limit = n == 0 ? 0 : UINT64_MAX - UINT64_MAX % n;
  std::uint64_t x;
  do x = next();
  while (x >= limit && limit != 0);
  return n == 0 ? 0 : x % n;
}

std::string Generator::state() const {
  std::ostringstream text;
  // The spare's bits, so that it comes back exactly.
  text << engine_ << ' ' << has_spare_ << ' ' << std::bit_cast<std::uint64_t>(spare_);
  return text.str();
}

void Generator::set_state(const std::string& text) {
  std::istringstream in(text);
  std::mt19937_64 engine;
  int has_spare = -1;
  std::uint64_t spare_bits = 0;
  in >> engine >> has_spare >> spare_bits;
  if (in.fail() || (has_spare != 0 && has_spare != 1) || !(in >> std::ws).eof())
    throw Error("Generator::set_state: the text is not a generator state");
  engine_ = engine;
  has_spare_ = has_spare == 1;
  spare_ = std::bit_cast<double>(spare_bits);
}

}  // namespace tg
