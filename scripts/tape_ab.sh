#!/usr/bin/env bash
# The tape's fixed cost on two builds side by side, e.g. main's and a branch's: bench_ops's `tape`
# group (a multiplication of 1 and 1,024 elements in xtensor alone, unrecorded, recorded,
# recorded and swept back; a chain of 1,000 ops), W3 (build/bench/w3_tape) and W4
# (build/bench/w4_xor), run in alternation, round after round, so that a busy machine slows both
# sides alike. Prints the median of the rounds on each side and the median of the rounds' ratios
# (below 1: the second build is faster).
#
#   scripts/tape_ab.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR [ROUNDS (default 7)]
#
# Each build dir needs bench/bench_ops, bench/w3_tape and bench/w4_xor
# (`meson compile -C DIR bench/bench_ops bench/w3_tape bench/w4_xor`). About 15 s per round.
set -euo pipefail

if (($# < 2)); then
  echo "usage: scripts/tape_ab.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR [ROUNDS]" >&2
  exit 2
fi
builds=("$1" "$2")
rounds="${3:-7}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

for ((round = 1; round <= rounds; round++)); do
  for side in 0 1; do
    dir="${builds[$side]}/bench"
    "$dir/bench_ops" --benchmark_filter='^tape/' --benchmark_min_time=0.2 --benchmark_format=json \
      >"$out/ops.$side.$round.json" 2>/dev/null
    { "$dir/w3_tape" --steps 5000 --chains 100; "$dir/w4_xor" --iterations 20000; } 2>/dev/null |
      grep '^RESULT' | sed "s/^/$side /" >>"$out/workloads.txt"
  done
done

/usr/bin/env python3 - "$out" "$rounds" <<'PY'
import collections, glob, json, statistics, sys
out, rounds = sys.argv[1], sys.argv[2]
times = collections.defaultdict(dict)  # name -> {(side, round): value}
for path in glob.glob(f"{out}/ops.*.json"):
    side, round_ = map(int, path.split(".")[-3:-1])
    for b in json.load(open(path))["benchmarks"]:
        times[b["name"] + " (ns, cpu)"][side, round_] = b["cpu_time"]
counts = collections.Counter()
for line in open(f"{out}/workloads.txt"):
    side, _, *fields = line.split()
    f = dict(kv.split("=", 1) for kv in fields)
    counts[side, f["name"]] += 1
    for key in ("us_per_step", "us_per_op", "forward_us_per_op", "backward_us_per_op", "seconds"):
        if key in f:
            times[f"{f['name']} {key}"][int(side), counts[side, f["name"]]] = float(f[key])
print(f"medians of {rounds} rounds, before then after in each round; the ratio is the median of the rounds' ratios")
print(f"| {'measurement':44} | {'before':>10} | {'after':>10} | after/before |")
print(f"|{'-' * 46}|{'-' * 12}|{'-' * 12}|--------------|")
for name, values in times.items():
    before = {r: v for (side, r), v in values.items() if side == 0}
    after = {r: v for (side, r), v in values.items() if side == 1}
    ratio = statistics.median(after[r] / before[r] for r in before if r in after)
    b, a = statistics.median(before.values()), statistics.median(after.values())
    print(f"| {name:44} | {b:10.4g} | {a:10.4g} | {ratio:12.2f} |")
PY
