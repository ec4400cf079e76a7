#include "ops/cpu/settings.hpp"

#include <cblas.h>

#include <cstdlib>
#include <cstring>

#include "autograd/error.hpp"

// OpenBLAS's kernel selection. The two gotoblas_* functions exist only in its DYNAMIC_ARCH
// builds (Debian's): weak, so a build without them links and keeps its kernels.
extern "C" {
char* openblas_get_corename(void);
void gotoblas_dynamic_init(void) __attribute__((weak));
void gotoblas_dynamic_quit(void) __attribute__((weak));
}

namespace tg {
namespace {

// Whether the OS saves the AVX (YMM) and, with `zmm`, the AVX-512 (opmask, ZMM) registers:
// CPUID alone does not say the OS lets a program use them.
bool os_saves_vector_registers(bool zmm) {
  unsigned eax = 0, edx = 0;
  __asm__("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  const unsigned ymm = 0x6, zmm_state = 0xe0;
  return (eax & ymm) == ymm && (!zmm || (eax & zmm_state) == zmm_state);
}

// The OpenBLAS core type for this CPU's features, or nullptr when it has neither AVX2 nor AVX-512.
const char* core_by_features() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512dq") && os_saves_vector_registers(true))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && os_saves_vector_registers(false))
    return "Haswell";
  return nullptr;
}

bool choose_kernels() {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return false;  // the user's choice
  if (gotoblas_dynamic_init == nullptr || gotoblas_dynamic_quit == nullptr) return false;
  if (std::strcmp(openblas_get_corename(), "Prescott") != 0) return false;  // OpenBLAS knew the CPU
  const char* core = core_by_features();
  if (core == nullptr) return false;
  // gotoblas_dynamic_init reads OPENBLAS_CORETYPE; it is set only for that call.
  setenv("OPENBLAS_CORETYPE", core, 1);
  gotoblas_dynamic_quit();
  gotoblas_dynamic_init();
  unsetenv("OPENBLAS_CORETYPE");
  return true;
}

}  // namespace

namespace detail {

void prepare_blas() { static const bool chosen [[maybe_unused]] = choose_kernels(); }

}  // namespace detail

std::string blas_kernels() {
  detail::prepare_blas();
  return openblas_get_corename();
}

void set_num_threads(int threads) {
  if (threads < 1) throw Error("set_num_threads: need at least one thread, got " + std::to_string(threads));
  detail::prepare_blas();
  openblas_set_num_threads(threads);
}

int num_threads() { return openblas_get_num_threads(); }

}  // namespace tg
