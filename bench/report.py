#!/usr/bin/python3
"""Turns the RESULT lines of scripts/bench.sh into the comparison table.

Each line reads "RESULT name=W1_batch64 impl=tapegrad threads=1 seconds_per_epoch=0.83 ...
round=2"; its first metric is the time compared (lower is better), the others are context. For
every workload, thread count and peer the table gives the median over the rounds of tapegrad and
of the peer, and the median over the rounds of the ratio tapegrad / peer, both measured back to
back in the same round. It is printed as text and, with --markdown FILE, written as markdown."""
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
UNITS = {"seconds_per_epoch": "s/epoch", "us_per_sample": "µs/sample", "ms_per_step": "ms/step",
         "ms_per_batch256": "ms/batch", "us_per_step": "µs/step", "us_per_op": "µs/op", "seconds": "s"}
# Context shown next to the times, tapegrad's / the peer's: (metric, label, format).
CONTEXT = {"W1_batch64": ("test_accuracy", "test accuracy", "{:.3f}"),
           "W1_per_sample": ("test_accuracy", "test accuracy", "{:.3f}"),
           "W1_per_sample_tutorial": ("test_accuracy", "test accuracy", "{:.3f}"),
           "W2_inference": ("images_per_second", "images/s", "{:,.0f}"),
           "W3_chain_op": ("backward_us_per_op", "backward µs/op", "{:.2f}"),
           "W4_xor": ("mean_abs_error", "final error", "{:.4f}"),
           "W5_lstm_batch32": ("peak_mib", "peak MiB", "{:.0f}"),
           "W5_lstm_batch1": ("peak_mib", "peak MiB", "{:.0f}")}
NOTES = {"W2": "pending: Conv2d/MaxPool2d not built"}


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


def rows(runs, primary):
    threads = sorted({t for (_, _, t) in runs}) or [1]
    out = []
    for name, peer, title in WORKLOADS:
        if name not in primary:
            group = name.split("_")[0]
            out.append([title, "", "", "", "", "", NOTES.get(group, "no result")])
            continue
        metric = primary[name]
        for t in threads:
            ours, theirs = runs.get((name, "tapegrad", t), {}), runs.get((name, peer, t), {})
            if not ours and not theirs:
                continue
            median = lambda rs, key=metric: statistics.median(r[key] for r in rs.values()) if rs else None
            ratios = [ours[r][metric] / theirs[r][metric] for r in ours if r in theirs and theirs[r][metric] > 0]
            ratio = f"{statistics.median(ratios):.2f}" if ratios else "—"
            context = CONTEXT.get(name)
            note = ""
            if context and ours and theirs:
                key, label, fmt = context
                note = f"{label} {fmt.format(median(ours, key))} / {fmt.format(median(theirs, key))}"
            unit = UNITS.get(metric, metric)
            out.append([title, str(t), f"{number(median(ours))} {unit}" if ours else "—", peer,
                        f"{number(median(theirs))} {unit}" if theirs else "—", ratio, note])
    return out


HEADER = ["workload", "threads", "tapegrad (median)", "peer", "peer (median)", "ratio tapegrad/peer", "notes"]


def text_table(table):
    widths = [max(len(r[i]) for r in [HEADER] + table) for i in range(len(HEADER))]
    fmt = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([fmt(HEADER), fmt(["-" * w for w in widths])] + [fmt(r) for r in table])


def markdown_table(table):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in table])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", help="a file of RESULT lines ('-' for standard input)")
    parser.add_argument("--markdown", help="also write the table as markdown to this file")
    parser.add_argument("--title", default="", help="a line put above the markdown table")
    args = parser.parse_args()
    with (sys.stdin if args.results == "-" else open(args.results)) as f:
        table = rows(*parse(f))
    print(text_table(table))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write((args.title + "\n\n" if args.title else "") + markdown_table(table) + "\n")


if __name__ == "__main__":
    main()
