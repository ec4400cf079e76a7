#!/usr/bin/python3
"""Turns the RESULT lines of scripts/bench.sh into the comparison table.

Each line reads "RESULT name=W1_batch64 impl=tapegrad threads=1 seconds_per_epoch=0.83 ...
round=2"; its first metric is the time compared (lower is better), the others are context. For
every workload, thread count and peer the table gives the median over the rounds of tapegrad and
of the peer, and the median over the rounds of the ratio tapegrad / peer, both measured back to
back in the same round; the same for the lower bound measured in that round (impl=bound:
bench/bound_blas, bench/bound_loops) as "× bound"; and each side's peak resident memory
(peak_mib). A second table says which of issue 10's targets are met. Both are printed as text
and, with --markdown FILE, written as markdown."""
import argparse
import statistics
import sys

# (name, peer, what is measured); the order of the table.
WORKLOADS = [
    ("W1_batch64", "libtorch", "W1 MLP 784-100-10, batch 64, one epoch"),
    ("W1_per_sample", "libtorch", "W1 MLP, batch 1"),
    ("W1_per_sample_tutorial", "numpy", "W1 MLP, batch 1, the tutorial's variant"),
    ("W2_train_step", "libtorch", "W2 CNN training step, batch 64"),
    ("W2_inference", "libtorch", "W2 CNN inference, batch 256"),
    ("W3_mlp_step", "libtorch", "W3 MLP 2-16-16-1, batch 1, one step"),
    ("W3_chain_op", "libtorch", "W3 chain of 1,000 ops, forward + backward"),
    ("W4_xor", "libtorch", "W4 XOR 3-4-1, 60,000 iterations"),
    ("W4_xor", "numpy", "W4 XOR 3-4-1, 60,000 iterations"),
    ("W5_lstm_batch32", "libtorch", "W5 LSTM 32 -> 128, sequence 50, batch 32, training step"),
    ("W5_lstm_batch1", "libtorch", "W5 LSTM 32 -> 128, sequence 50, batch 1, training step"),
]
# Issue 10's targets: (name, against, threads, limit, what): the median per-round ratio to a
# peer ("libtorch", "numpy"), to the bound ("bound"), of 2 threads to 1 ("1 thread"), or the
# median value itself ("value"), at most `limit`.
TARGETS = [
    ("W1_batch64", "bound", 1, 1.15, "W1 batch 64 ≤ 1.15 × the GEMM bound"),
    ("W1_batch64", "libtorch", 1, 0.75, "W1 batch 64 ≤ 0.75 × libtorch, 1 thread"),
    ("W1_batch64", "libtorch", 2, 0.75, "W1 batch 64 ≤ 0.75 × libtorch, 2 threads"),
    ("W1_per_sample", "bound", 1, 1.3, "W1 per sample ≤ 1.3 × the BLAS bound"),
    ("W1_per_sample", "libtorch", 1, 0.3, "W1 per sample ≤ 0.3 × libtorch"),
    ("W2_train_step", "libtorch", 1, 0.8, "W2 training step ≤ 0.8 × libtorch, 1 thread"),
    ("W2_train_step", "libtorch", 2, 0.8, "W2 training step ≤ 0.8 × libtorch, 2 threads"),
    ("W2_inference", "libtorch", 1, 0.6, "W2 inference ≤ 0.6 × libtorch, 1 thread"),
    ("W2_inference", "libtorch", 2, 0.6, "W2 inference ≤ 0.6 × libtorch, 2 threads"),
    ("W3_mlp_step", "libtorch", 1, 0.12, "W3 step ≤ 0.12 × libtorch"),
    ("W3_chain_op", "value", 1, 0.3, "W3 chain ≤ 0.3 µs per operation, forward and backward"),
    ("W4_xor", "numpy", 1, 0.25, "W4 ≥ 4x faster than the seed's numpy (≤ 0.25 ×)"),
    ("W4_xor", "libtorch", 1, 0.08, "W4 ≤ 0.08 × libtorch"),
] + [(name, "1 thread", 2, 1.05, f"{name}: 2 threads no slower than 1 (≤ 1.05 ×, the noise)")
     for name in ("W1_batch64", "W1_per_sample", "W2_train_step", "W2_inference", "W3_mlp_step", "W3_chain_op",
                  "W4_xor")]
UNITS = {"seconds_per_epoch": "s/epoch", "us_per_sample": "µs/sample", "ms_per_step": "ms/step",
         "ms_per_batch256": "ms/batch", "us_per_step": "µs/step", "us_per_op": "µs/op", "seconds": "s"}
# Context shown next to the times, tapegrad's / the peer's: (metric, label, format).
CONTEXT = {"W1_batch64": ("test_accuracy", "test accuracy", "{:.3f}"),
           "W1_per_sample": ("test_accuracy", "test accuracy", "{:.3f}"),
           "W1_per_sample_tutorial": ("test_accuracy", "test accuracy", "{:.3f}"),
           "W2_inference": ("images_per_second", "images/s", "{:,.0f}"),
           "W3_chain_op": ("backward_us_per_op", "backward µs/op", "{:.2f}"),
           "W4_xor": ("mean_abs_error", "final error", "{:.4f}")}


def parse(lines):
    """{(name, impl, threads): {round: {metric: value}}}, and the first metric of each name."""
    runs, primary = {}, {}
    for line in lines:
        if not line.startswith("RESULT "):
            continue
        fields = dict(field.split("=", 1) for field in line.split()[1:])
        name, impl, threads, rnd = fields.pop("name"), fields.pop("impl"), int(fields.pop("threads")), fields.pop("round", "1")
        primary.setdefault(name, next(iter(fields)))
        runs.setdefault((name, impl, threads), {})[rnd] = {k: float(v) for k, v in fields.items()}
    return runs, primary


def number(value):
    return f"{value:.3g}" if value < 100 else f"{value:,.0f}"


def medians(runs, name, impl, threads, metric):
    """{round: value} of one side, and the median over the rounds (None when it did not run)."""
    by_round = {r: m[metric] for r, m in runs.get((name, impl, threads), {}).items() if metric in m}
    return by_round, (statistics.median(by_round.values()) if by_round else None)


def ratio(ours, theirs):
    """The median over the rounds of ours / theirs, both measured in the same round."""
    ratios = [ours[r] / theirs[r] for r in ours if r in theirs and theirs[r] > 0]
    return statistics.median(ratios) if ratios else None


def rows(runs, primary):
    threads = sorted({t for (_, _, t) in runs}) or [1]
    out = []
    for name, peer, title in WORKLOADS:
        if name not in primary:
            out.append([title] + [""] * (len(HEADER) - 2) + ["no result"])
            continue
        metric, unit = primary[name], UNITS.get(primary[name], primary[name])
        for t in threads:
            ours, our_median = medians(runs, name, "tapegrad", t, metric)
            theirs, their_median = medians(runs, name, peer, t, metric)
            if not ours and not theirs:
                continue
            bound, bound_median = medians(runs, name, "bound", t, metric)
            peak = [medians(runs, name, impl, t, "peak_mib")[1] for impl in ("tapegrad", peer)]
            context, note = CONTEXT.get(name), ""
            if context and ours and theirs:
                key, label, fmt = context
                note = f"{label} {fmt.format(medians(runs, name, 'tapegrad', t, key)[1])} / " \
                       f"{fmt.format(medians(runs, name, peer, t, key)[1])}"
            shown = lambda value, suffix="": f"{number(value)}{suffix}" if value is not None else "—"
            two = lambda value: f"{value:.2f}" if value is not None else "—"
            out.append([title, str(t), shown(our_median, " " + unit), peer, shown(their_median, " " + unit),
                        two(ratio(ours, theirs)), shown(bound_median, " " + unit), two(ratio(ours, bound)),
                        " / ".join(f"{v:,.0f}" if v is not None and v >= 0 else "—" for v in peak), note])
    return out


def target_rows(runs, primary):
    """Each target of TARGETS with what was measured and whether it is met."""
    out = []
    for name, against, threads, limit, text in TARGETS:
        if name not in primary:
            out.append([text, "no result", ""])
            continue
        metric = primary[name]
        ours = medians(runs, name, "tapegrad", threads, metric)[0]
        if against == "value":
            measured = statistics.median(ours.values()) if ours else None
        elif against == "1 thread":  # 2 threads against 1, round by round
            measured = ratio(medians(runs, name, "tapegrad", 2, metric)[0], medians(runs, name, "tapegrad", 1, metric)[0])
        else:
            measured = ratio(ours, medians(runs, name, against, threads, metric)[0])
        if measured is None:
            out.append([text, "not measured", ""])
        else:
            over = measured / limit - 1
            verdict = "met" if over <= 0 else f"missed by {over:.0%}" if over >= 0.005 else "missed by <1%"
            out.append([text, f"{measured:.3g}", verdict])
    return out


HEADER = ["workload", "threads", "tapegrad (median)", "peer", "peer (median)", "ratio tapegrad/peer", "bound",
          "× bound", "peak MiB tapegrad / peer", "notes"]
TARGET_HEADER = ["target", "measured", "status"]


def text_table(header, table):
    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in table])


def markdown_table(header, table):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in table])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a file of RESULT lines ('-' for standard input)")
    parser.add_argument("--markdown", help="also write the table as markdown to this file")
    parser.add_argument("--title", default="", help="a line put above the markdown table")
    args = parser.parse_args()
    with (sys.stdin if args.results == "-" else open(args.results)) as f:
        runs, primary = parse(f)
    table, targets = rows(runs, primary), target_rows(runs, primary)
    print(text_table(HEADER, table) + "\n\n" + text_table(TARGET_HEADER, targets))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write((args.title + "\n\n" if args.title else "") + markdown_table(HEADER, table) + "\n\n" +
                    markdown_table(TARGET_HEADER, targets) + "\n")


if __name__ == "__main__":
    main()
