#include "autograd/element_count.hpp"

#include <sys/sysinfo.h>

#include <cmath>
#include <cstdio>
#include <limits>

namespace tg {
namespace {

// RAM and swap together: what the largest allocation that can succeed is bounded by.
double memory_bytes() {
  static const double bytes = [] {
    struct sysinfo info {};
    if (sysinfo(&info) != 0) return std::numeric_limits<double>::infinity();
    return (static_cast<double>(info.totalram) + static_cast<double>(info.totalswap)) * info.mem_unit;
  }();
  return bytes;
}

}  // namespace

std::size_t element_count(const Shape& shape, const char* op) {
  std::size_t nonzero = 1;
  bool empty = false;
  for (const std::size_t d : shape) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (d > max_elements / nonzero)
      throw Error(std::string(op) + ": shape " + shape_str(shape) + " has too many elements (more than 2^60)");
    nonzero *= d;
  }
  return empty ? 0 : nonzero;
}

std::size_t checked_allocation(const Shape& shape, std::size_t element_size, const char* op) {
  const std::size_t count = element_count(shape, op);
  const double bytes = static_cast<double>(count) * static_cast<double>(element_size);
  if (bytes > memory_bytes())
    throw Error(std::string(op) + ": shape " + shape_str(shape) + " needs " + byte_size_str(bytes) +
                ", more than this machine's memory (" + byte_size_str(memory_bytes()) + ")");
  return count;
}

std::string byte_size_str(double bytes) {
  static constexpr const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::size_t unit = 0;
  while (bytes >= 1024 && unit + 1 < std::size(units)) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 || bytes == std::floor(bytes) ? "%.0f %s" : "%.1f %s", bytes,
                units[unit]);
  return text;
}

}  // namespace tg
