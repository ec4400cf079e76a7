#!/usr/bin/env bash
# Installs what is missing, builds tapegrad and runs the whole test suite (the Boost.Test
# suites, the examples and the install test). Exits nonzero on any failure or timeout. The
# build treats warnings as errors: a warning in tapegrad's own code fails it (third-party
# headers are system headers, whose warnings do not count).
#
#   scripts/test.sh [build-dir]              (default: build)
#   scripts/test.sh --sanitize [build-dir]   the same under AddressSanitizer and
#                                            UndefinedBehaviorSanitizer (default: build-sanitize):
#                                            any error or leak stops the program and fails its test
#   TAPEGRAD_TEST_TIMEOUT=seconds            limit for the whole `meson test` run (default 600,
#                                            1200 with --sanitize)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sanitize=false
if [[ "${1:-}" == --sanitize ]]; then
  sanitize=true
  shift
fi
options=(-Dwerror=true)
if $sanitize; then
  build_dir="${1:-build-sanitize}"
  timeout_s="${TAPEGRAD_TEST_TIMEOUT:-1200}"
  # -O1 keeps the instrumented build quick to compile; nothing recovers from a finding. Under
  # ASan gcc 12 warns falsely that std::regex's and std::function's members may be uninitialized.
  options+=(-Db_sanitize=address,undefined -Dbuildtype=debug -Doptimization=1 -Db_ndebug=false
            "-Dcpp_args=['-fno-sanitize-recover=all','-Wno-maybe-uninitialized']" -Dbench=disabled)
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1:detect_stack_use_after_return=1:strict_init_order=1"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
else
  build_dir="${1:-build}"
  timeout_s="${TAPEGRAD_TEST_TIMEOUT:-600}"
fi

"$root/scripts/setup.sh" "$build_dir" "${options[@]}"
# The examples' real-data checks need MNIST and Fashion-MNIST; without them they are skipped.
"$root/scripts/fetch_mnist.sh" || echo "test.sh: MNIST unavailable: its example checks will be skipped" >&2
"$root/scripts/fetch_fashion_mnist.sh" || echo "test.sh: Fashion-MNIST unavailable: its checks will be skipped" >&2
cd "$root"
meson compile -C "$build_dir"

status=0
timeout --kill-after=30 "$timeout_s" meson test -C "$build_dir" --print-errorlogs || status=$?
if ((status == 124 || status == 137)); then
  echo "test.sh: meson test did not finish within ${timeout_s}s" >&2
elif ((status != 0)); then
  echo "test.sh: tests failed (see above and $build_dir/meson-logs/testlog.txt)" >&2
fi
exit "$status"
