#!/usr/bin/env bash
# Writes the synthetic fruit photos the image examples use (examples/make_fruit_images.cpp) into
# data/fruit (git-ignored), once: the stand-in for the tutorial's four Fruit360 classes, which
# cannot be downloaded here. Builds the generator first.
#
#   scripts/make_fruit_images.sh [make_fruit_images options]   e.g. --per-class 100 (default 490)
#   TAPEGRAD_BUILD_DIR=dir                                      build directory (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TAPEGRAD_BUILD_DIR:-build}"
out="$root/data/fruit"
if [[ -d "$out" ]]; then
  echo "make_fruit_images: $out is there (remove it to write it again)"
  exit 0
fi
cd "$root"
[[ -f "$build_dir/build.ninja" ]] || "$root/scripts/setup.sh" "$build_dir"
meson compile -C "$build_dir" make_fruit_images
# Written aside and renamed into place: an interrupted run never leaves half a set behind.
partial="$out.partial.$$"
trap 'rm -rf "$partial"' EXIT
"$build_dir/examples/make_fruit_images" --out "$partial" "$@"
mv "$partial" "$out"
