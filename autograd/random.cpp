#include "autograd/random.hpp"

#include <cmath>
#include <numbers>

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

}  // namespace tg
