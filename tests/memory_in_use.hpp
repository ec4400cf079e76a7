#pragma once
// The memory a test program holds, for tests that check a graph gives its memory back.
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <fstream>
#include <optional>
#include <string>

#include "tests/sanitizers.hpp"

#ifdef TG_TESTS_ASAN
// ASan's runtime (gcc's and clang's) has it; gcc installs no header that declares it.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
#endif

namespace tg::testing {

// Normally the resident set, after free heap pages are handed back, so that what is counted is
// memory still in use. AddressSanitizer's allocator keeps freed blocks in quarantine and never
// hands them back, so there it is the bytes its allocator counts as allocated and not freed.
inline std::size_t memory_in_use() {
#ifdef TG_TESTS_ASAN
  return __sanitizer_get_current_allocated_bytes();
#else
  malloc_trim(0);
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
#endif
}

// The bytes of the C heap in use (glibc's mallinfo2), or under AddressSanitizer, whose allocator
// glibc does not see, the bytes that allocator counts as allocated and not freed.
inline double heap_in_use() {
#ifdef TG_TESTS_ASAN
  return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#else
  const auto info = mallinfo2();
  return static_cast<double>(info.uordblks + info.hblkhd);
#endif
}

namespace detail {

// A field of /proc/self/status in kB ("VmRSS"; "VmHWM", the peak since the last reset), or -1.
inline long status_kb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with(field + ":")) return std::stol(line.substr(field.size() + 1));
  return -1;
}

#ifdef TG_TESTS_ASAN
inline std::atomic<std::size_t> heap_peak{0};
inline void follow_heap_peak(const volatile void*, std::size_t) {
  const std::size_t now = __sanitizer_get_current_allocated_bytes();
  std::size_t seen = heap_peak.load(std::memory_order_relaxed);
  while (now > seen && !heap_peak.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
  }
}
inline void ignore_free(const volatile void*) {}
#endif

}  // namespace detail

// How far the memory in use rose above its level before `run`, at its highest, in bytes.
// Normally the resident set's peak (Linux >= 4.0 restarts VmHWM when "5" is written to
// /proc/self/clear_refs; nothing where it cannot). AddressSanitizer's quarantine keeps freed
// blocks resident, so there it is the peak of its allocator's bytes in use, taken at every
// allocation.
template <class Run>
std::optional<double> peak_memory_rise(Run run) {
#ifdef TG_TESTS_ASAN
  static const bool hooked = __sanitizer_install_malloc_and_free_hooks(detail::follow_heap_peak, detail::ignore_free);
  if (!hooked) return std::nullopt;
  const std::size_t before = __sanitizer_get_current_allocated_bytes();
  detail::heap_peak = before;
  run();
  return static_cast<double>(detail::heap_peak.load()) - static_cast<double>(before);
#else
  const long before = detail::status_kb("VmRSS");
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  if (!clear.good() || before < 0 || detail::status_kb("VmHWM") < 0) return std::nullopt;
  run();
  return static_cast<double>(detail::status_kb("VmHWM") - before) * 1024.0;
#endif
}

}  // namespace tg::testing
