#pragma once
// Whether the test program is built with AddressSanitizer (scripts/test.sh --sanitize): gcc
// defines __SANITIZE_ADDRESS__, clang answers __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define TG_TESTS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TG_TESTS_ASAN 1
#endif
#endif

namespace tg::testing {

#ifdef TG_TESTS_ASAN
inline constexpr bool under_address_sanitizer = true;
#else
inline constexpr bool under_address_sanitizer = false;
#endif

}  // namespace tg::testing
