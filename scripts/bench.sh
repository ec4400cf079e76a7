#!/usr/bin/env bash
# Runs the workloads W1-W5 on tapegrad and on its peers (libtorch; the seed tutorials' numpy
# code) in alternation, tapegrad then each peer, round after round, with 1 and with 2 threads,
# and prints one table: per workload and thread count, the median of the rounds on each side and
# the median of the per-round ratios tapegrad / peer, the same against the lower bound measured
# in the round (bench/bound_blas: the BLAS calls alone; bench/bound_loops: plain loops without a
# tape) and each side's peak resident memory; then issue 10's targets, met or missed. A table
# gives W1 and W2 trained data-parallel on 1 and 2 MPI processes (bench/dist_train), when the
# library has tg::dist.
# The tables are also written as markdown to <build-dir>/bench/results.md, every program's
# output to <build-dir>/bench/runs.log.
# Installs what is missing (apt-get), fetches MNIST and builds (release) first.
#
#   scripts/bench.sh [--rounds N] [--threads "1 2"] [--build-dir DIR]
#   scripts/bench.sh --quick          one round: a first look in about a third of the time
#   scripts/bench.sh --data-parallel  the data-parallel table alone (about a minute)
#
# A full run (3 rounds, 1 and 2 threads) takes 4 to 7 minutes on this project's shared 2-core machine.
# The sizes are those of issue 5; W1 per sample trains on 10,000 samples, not a whole epoch.
# TAPEGRAD_BUILD_JOBS=N limits the build's parallel jobs (e.g. 1 on a shared machine).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=3
threads_list="1 2"
build_dir=build
programs="w1_mlp w2_cnn w3_tape w4_xor w5_lstm bound_blas bound_loops dist_train"
while (($#)); do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads_list="$2"; shift 2 ;;
    --build-dir) build_dir="$2"; shift 2 ;;
    --quick) rounds=1; shift ;;
    --data-parallel) programs="w4_xor dist_train"; threads_list=""; shift ;;  # w4_xor names the BLAS kernels
    *) echo "usage: scripts/bench.sh [--rounds N] [--threads \"1 2\"] [--build-dir DIR] [--quick] [--data-parallel]" >&2; exit 2 ;;
  esac
done

# What the peers and the data need, on top of what scripts/setup.sh installs for the build.
missing=()
for package in libbenchmark-dev libtorch-dev python3-numpy; do
  dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$package")
done
[[ -f "$root/data/mnist/train-images-idx3-ubyte" ]] || command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}"
  as_root=()
  ((EUID == 0)) || as_root=(sudo)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
"$root/scripts/fetch_mnist.sh"
"$root/scripts/setup.sh" "$build_dir"  # configures, or reconfigures so that libtorch is found

cd "$root"
buildtype=$(meson introspect --buildoptions "$build_dir" |
  python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))')
[[ "$buildtype" == release ]] || meson configure "$build_dir" -Dbuildtype=release -Db_ndebug=if-release

# Build each program on its own, so that one that does not build leaves only its rows empty.
jobs=(${TAPEGRAD_BUILD_JOBS:+-j "$TAPEGRAD_BUILD_JOBS"})
built=()
targets=$(ninja -C "$build_dir" -t targets all)  # the libtorch peers are there only where meson found libtorch
for program in $programs; do
  for target in "bench/$program" "bench/libtorch/$program"; do
    grep -q "^$target:" <<<"$targets" || continue
    if meson compile -C "$build_dir" "${jobs[@]}" "$target" >>"$build_dir/bench-build.log" 2>&1; then
      built+=("$target")
    else
      echo "bench: $target did not build (see $build_dir/bench-build.log); its rows stay empty" >&2
    fi
  done
done
is_built() { [[ " ${built[*]} " == *" $1 "* ]]; }

out="$build_dir/bench"
mkdir -p "$out"
results="$out/results.txt"
log="$out/runs.log"
: >"$results"
: >"$log"

# One program run: its RESULT lines, tagged with the round, go to the results.
run() {
  local round="$1" threads="$2"
  shift 2
  local began=$SECONDS
  if ! OPENBLAS_NUM_THREADS="$threads" OMP_NUM_THREADS="$threads" timeout 900 "$@" --threads "$threads" \
      >"$out/last.txt" 2>&1; then
    echo "bench: failed: $* --threads $threads (see $log)" >&2
  fi
  { echo "+ $* --threads $threads ($((SECONDS - began)) s)"; cat "$out/last.txt"; } >>"$log"
  sed -n "s/^RESULT .*/& round=$round/p" "$out/last.txt" | tee -a "$results" | sed 's/^RESULT /  /'
}

# Each workload: tapegrad, then each peer that is there.
workload() {
  local round="$1" threads="$2" program="$3"
  shift 3
  is_built "bench/$program" && run "$round" "$threads" "$build_dir/bench/$program" "$@"
  is_built "bench/libtorch/$program" && run "$round" "$threads" "$build_dir/bench/libtorch/$program" "$@"
  return 0
}

mnist="$root/data/mnist"
start=$SECONDS
for ((round = 1; round <= rounds; ++round)); do
  for threads in $threads_list; do
    echo "bench: round $round of $rounds, $threads thread(s)"
    # The bounds of this round and thread count (impl=bound): the "x bound" column.
    is_built bench/bound_blas && run "$round" "$threads" "$build_dir/bench/bound_blas" --samples 10000
    is_built bench/bound_loops && run "$round" "$threads" "$build_dir/bench/bound_loops" --steps 10000 --chain 1000 \
      --chains 200 --iterations 60000
    workload "$round" "$threads" w1_mlp --data "$mnist" --samples 10000
    run "$round" "$threads" /usr/bin/python3 bench/numpy/w1_per_sample.py --data "$mnist" --samples 10000
    workload "$round" "$threads" w2_cnn --data "$mnist" --warmup 2 --steps 20 --inference-batches 4
    workload "$round" "$threads" w3_tape --steps 10000 --chain 1000 --chains 200
    workload "$round" "$threads" w4_xor --iterations 60000
    run "$round" "$threads" /usr/bin/python3 bench/numpy/w4_xor.py --iterations 60000
    workload "$round" "$threads" w5_lstm --batch 32 --steps 20 --warmup 3
    workload "$round" "$threads" w5_lstm --batch 1 --steps 100 --warmup 10
  done
  # W1 and W2 data-parallel (tg::dist, when built with MPI): 1 and 2 processes of one thread each.
  if is_built bench/dist_train; then
    echo "bench: round $round of $rounds, data-parallel"
    for processes in 1 2; do
      for averaging in overlap after; do
        for workload in "W1 --steps 300" "W2 --steps 20 --warmup 2"; do
          run "$round" 1 "$root/tests/dist/mpirun.sh" "$processes" "$build_dir/bench/dist_train" --data "$mnist" \
            --averaging "$averaging" --bucket-kb 256 --workload $workload
        done
      done
    done
  fi
done

# The OpenBLAS kernels each side ran: OpenBLAS names them ("Core: ...") at verbosity 2, once
# when loaded and again when tapegrad re-selects them (ops/blas.hpp); the last one counts.
blas_core() { { OPENBLAS_VERBOSE=2 "$@" 2>&1 || true; } | sed -n 's/^Core: //p' | tail -1; }
kernels="OpenBLAS kernels: tapegrad $(blas_core "$build_dir/bench/w4_xor" --iterations 1 --threads 1)"
is_built bench/libtorch/w4_xor &&
  kernels+=", libtorch $(blas_core "$build_dir/bench/libtorch/w4_xor" --iterations 1 --threads 1)"
kernels+=", numpy $(blas_core /usr/bin/python3 -c 'import numpy; numpy.ones((2, 2)) @ numpy.ones((2, 2))')"
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
title="$(date -u +%Y-%m-%d), $cpu, $(nproc) cores; $rounds round(s) in $((SECONDS - start)) s; libtorch $(dpkg-query -W -f '${Version}' libtorch-dev 2>/dev/null || echo absent), numpy $(dpkg-query -W -f '${Version}' python3-numpy 2>/dev/null || echo absent); $kernels"
echo
echo "$title"
if [[ -n "$threads_list" ]]; then
  python3 bench/report.py "$results" --markdown "$out/results.md" --title "$title"
else
  echo "$title" >"$out/results.md"
fi
echo
python3 bench/report_dist.py "$results" --markdown "$out/results.md"
echo
echo "bench: table in $out/results.md, RESULT lines in $results, program output in $log"
