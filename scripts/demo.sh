#!/usr/bin/env bash
# Installs what is missing, builds one example and runs it (default: the main demo).
#
#   scripts/demo.sh [example [args...]]   e.g. scripts/demo.sh derivatives
#   TAPEGRAD_BUILD_DIR=dir                build directory (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TAPEGRAD_BUILD_DIR:-build}"
example="${1:-derivatives}"
shift || true

"$root/scripts/setup.sh" "$build_dir"
cd "$root"
meson compile -C "$build_dir" "$example"
exec "$build_dir/examples/$example" "$@"
