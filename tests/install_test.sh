#!/usr/bin/env bash
# Installs the built project into a temporary directory and builds an outside program against
# it the way a user would: g++ prog.cpp $(pkg-config --cflags --libs tapegrad).
#
#   tests/install_test.sh <meson> <build-dir> <prog.cpp> [<expected output> [<launcher>...]]
# The program must print the expected output (by default, prog.cpp's); a launcher (mpirun) runs it.
# A build with sanitizers (b_sanitize) builds the program with them too, as its user would have
# to: an instrumented library does not load into an uninstrumented program.
set -euo pipefail

meson="$1"
build_dir="$(cd "$2" && pwd)"
prog="$(cd "$(dirname "$3")" && pwd)/$(basename "$3")"
expected="${4:-$'f = 18\ngradient = 8 14'}"
launcher=("${@:5}")
sanitize=$("$meson" introspect --buildoptions "$build_dir" |
  python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "b_sanitize"))')
sanitize_flags=()
[[ "$sanitize" == none ]] || sanitize_flags=("-fsanitize=$sanitize")
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

"$meson" install -C "$build_dir" --no-rebuild --quiet --destdir "$stage/root"

pc="$(find "$stage/root" -name tapegrad.pc)"
[[ -n "$pc" ]] || { echo "install: no tapegrad.pc was installed" >&2; exit 1; }
for header in tapegrad.hpp autograd/tensor.hpp autograd/engine.hpp ops/arithmetic.hpp; do
  [[ -n "$(find "$stage/root" -path "*/include/tapegrad/$header")" ]] ||
    { echo "install: include/tapegrad/$header is missing" >&2; exit 1; }
done

# The staged files lie under $stage/root/<prefix>: point tapegrad.pc's prefix there.
mkdir "$stage/pkgconfig"
sed "s|^prefix=|prefix=$stage/root|" "$pc" > "$stage/pkgconfig/tapegrad.pc"
export PKG_CONFIG_PATH="$stage/pkgconfig"
libdir="$(pkg-config --variable=libdir tapegrad)"
[[ -e "$libdir/libtapegrad.so" ]] || { echo "install: $libdir/libtapegrad.so is missing" >&2; exit 1; }

cd "$stage"
# shellcheck disable=SC2046  # pkg-config's output is meant to be split into words
g++ "$prog" "${sanitize_flags[@]}" $(pkg-config --cflags --libs tapegrad) -o prog
output="$(LD_LIBRARY_PATH="$libdir" "${launcher[@]}" ./prog)"
echo "$output"
[[ "$output" == "$expected" ]] || { echo "install: expected"$'\n'"$expected" >&2; exit 1; }
