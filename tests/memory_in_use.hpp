#pragma once
// The memory a test program holds, for tests that check a graph gives its memory back.
#include <malloc.h>
#include <unistd.h>

#include <cstddef>
#include <fstream>

#include "tests/sanitizers.hpp"

#ifdef TG_TESTS_ASAN
// ASan's runtime (gcc's and clang's) has it; gcc installs no header that declares it.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
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

}  // namespace tg::testing
