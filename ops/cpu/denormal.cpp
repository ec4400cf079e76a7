#include "ops/cpu/settings.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace tg {

#if defined(__SSE2__)
namespace {
constexpr unsigned flush_to_zero = 0x8000;     // MXCSR.FTZ: subnormal results become zero
constexpr unsigned denormals_are_zero = 0x40;  // MXCSR.DAZ: subnormal inputs read as zero
constexpr unsigned both = flush_to_zero | denormals_are_zero;
}  // namespace

bool set_flush_denormal(bool on) {
  const unsigned csr = _mm_getcsr();
  _mm_setcsr(on ? csr | both : csr & ~both);
  return true;
}

bool flush_denormal() { return (_mm_getcsr() & both) == both; }
#else
bool set_flush_denormal(bool) { return false; }
bool flush_denormal() { return false; }
#endif

}  // namespace tg
