#pragma once
// Force-included by meson for GCC 12 only, whose middle end warns falsely inside its own headers
// wherever their code is inlined into ours: in the AVX-512 intrinsics (_mm512_undefined_*) that
// xsimd's kernels use, 219 times in a clean build (GCC bug 105593), and in std::string's
// concatenation at -O3 (-Wrestrict, GCC bugs 105329 and 105651). Those headers are read here
// first, between a push and a pop, so the warnings stay on for every other line.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wrestrict"
#include <immintrin.h>

#include <string>
#pragma GCC diagnostic pop
