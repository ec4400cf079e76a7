#!/usr/bin/env bash
# Fuzzes every file reader: builds the libFuzzer harnesses of tests/fuzz/ with clang-14,
# AddressSanitizer and UndefinedBehaviorSanitizer (the library too, with coverage), writes each
# harness's seed corpus with the project's own writers, and runs each harness for the given
# time. Fails on any crash, sanitizer finding, leak, uncaught exception other than tg::Error,
# input taking over 10 s (timeout) or run using over 2 GiB (out of memory); the input that did
# it is kept in <build-dir>/fuzz/findings/<harness>/.
#
#   scripts/fuzz.sh [seconds-per-harness [harness...]]   (default: 60 s, every harness)
#   TAPEGRAD_FUZZ_BUILD_DIR=dir    build directory (default: build-fuzz)
#   TAPEGRAD_FUZZ_JOBS=n           harnesses run at once (default: the number of cores)
#
# The corpus each run grows is kept in <build-dir>/fuzz/corpus/<harness>/ for the next run.
# To reproduce a finding: <build-dir>/tests/fuzz/fuzz_<harness> <file>
set -euo pipefail

# One line per harness: its name (tests/fuzz/fuzz_<name>.cpp) and, optionally, its dictionary
# in tests/fuzz/. Adding a reader's harness is one file there and one line here.
harnesses=(
  "idx_images"
  "idx_images_gz"
  "idx_labels"
  "idx_labels_gz"
  "mnist_csv"
  "safetensors safetensors.dict"
  "weights safetensors.dict"
  "checkpoint safetensors.dict"
  "model safetensors.dict"
  "image"
  "image_folder"
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift $(($# ? 1 : 0))
build_dir="${TAPEGRAD_FUZZ_BUILD_DIR:-build-fuzz}"
jobs="${TAPEGRAD_FUZZ_JOBS:-$(nproc)}"
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh [seconds-per-harness [harness...]]" >&2; exit 2; }

selected=()
for entry in "${harnesses[@]}"; do
  read -r name _ <<<"$entry"
  if (($# == 0)) || [[ " $* " == *" $name "* ]]; then selected+=("$entry"); fi
done
((${#selected[@]})) || { echo "fuzz.sh: no harness named $*" >&2; exit 2; }

# The fuzzer's packages: clang and its runtime libraries (libFuzzer); setup.sh installs the rest.
missing=()
for package in clang-14 libclang-rt-14-dev; do
  dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "fuzz.sh: installing ${missing[*]}"
  as_root=()
  ((EUID == 0)) || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The library is instrumented for coverage (fuzzer-no-link) and, like the harnesses, checked by
# both sanitizers; nothing recovers from a finding. Static, so that each harness stands alone.
names=()
for entry in "${harnesses[@]}"; do read -r name _ <<<"$entry" && names+=("$name"); done
CXX=clang++-14 "$root/scripts/setup.sh" "$build_dir" "-Dfuzz_harnesses=$(IFS=,; echo "${names[*]}")" \
  -Db_sanitize=address,undefined -Db_lundef=false -Ddefault_library=static -Dbuildtype=debug -Doptimization=1 \
  -Dbench=disabled -Dmpi=disabled "-Dcpp_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" >/dev/null
cd "$root"
targets=()
for entry in "${selected[@]}"; do read -r name _ <<<"$entry" && targets+=("tests/fuzz/fuzz_$name"); done
meson compile -C "$build_dir" "${targets[@]}"

work="$build_dir/fuzz"
mkdir -p "$work/logs" "$work/status"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"

# One harness: fresh seeds, then libFuzzer on the kept corpus and the seeds.
run_harness() {
  local name="$1" dictionary="${2:-}"
  local program="$build_dir/tests/fuzz/fuzz_$name" seeds="$work/seeds/$name" corpus="$work/corpus/$name"
  local findings="$work/findings/$name" log="$work/logs/$name.log"
  rm -rf "$seeds"
  mkdir -p "$corpus" "$findings"
  local status=0
  TAPEGRAD_FUZZ_SEEDS="$seeds" "$program" >"$log" 2>&1 || status=$?
  local options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048
                 -artifact_prefix="$findings/" -print_final_stats=1)
  [[ -z "$dictionary" ]] || options+=(-dict="tests/fuzz/$dictionary")
  if ((status == 0)); then
    # libFuzzer stops itself after max_total_time; the outer limit catches a hang it cannot see.
    timeout --kill-after=10 $((seconds + 300)) "$program" "${options[@]}" "$corpus" "$seeds" >>"$log" 2>&1 || status=$?
  fi
  echo "$status" >"$work/status/$name"
}

echo "fuzz.sh: ${#selected[@]} harness(es), ${seconds} s each, $jobs at a time (logs in $work/logs)"
began=$SECONDS
for entry in "${selected[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  # shellcheck disable=SC2086  # name and optional dictionary
  run_harness $entry &
done
wait

failed=0
for entry in "${selected[@]}"; do
  read -r name _ <<<"$entry"
  status=$(cat "$work/status/$name")
  # libFuzzer's last line, e.g. "#38604<TAB>DONE   cov: 337 ft: 574 corp: 44/5257b ... exec/s: 3509".
  summary=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/logs/$name.log" | tail -1 |
    sed 's/^#\([0-9]*\)[[:space:]]*DONE[[:space:]]*/\1 runs, /' || true)
  if [[ "$status" == 0 ]]; then
    printf '  %-14s ok      %s\n' "$name" "$summary"
  else
    failed=1
    printf '  %-14s FAILED  (exit %s) see %s\n' "$name" "$status" "$work/logs/$name.log"
    grep -E 'ERROR: |SUMMARY: |tapegrad fuzz: |Test unit written to' "$work/logs/$name.log" | head -5 | sed 's/^/      /' || true
  fi
done
echo "fuzz.sh: $((SECONDS - began)) s in all"
exit "$failed"
