#pragma once
// Force-included by meson for GCC before 12.3 only: those GCC versions warn inside their own
// AVX-512 intrinsics (_mm512_undefined_*) wherever xsimd's kernels are inlined (GCC bug 105593),
// 219 warnings in a clean build that no change to our code can remove. The intrinsics are read
// here first, between a push and a pop, so the warnings stay on for every other line.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
