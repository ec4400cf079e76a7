#!/usr/bin/python3
"""The data-parallel table of scripts/bench.sh: W1 and W2 trained by bench/dist_train on 1 and
2 processes, gradients averaged while backward runs ("overlap") or after it ("after").

Reads the RESULT lines "RESULT name=W2_data_parallel_np2_overlap impl=tapegrad threads=1
images_per_second=... ms_per_step=... averaging_wait_ms_per_step=... processes=2 round=1" and
gives, per workload, averaging and process count, the medians over the rounds, and the speedup
over one process with the same averaging. Printed as text; with --markdown FILE, appended there."""
import argparse
import re
import statistics
import sys

NAME = re.compile(r"(W\d)_data_parallel_np(\d+)_(overlap|after)")
TITLES = {"W1": "W1 MLP 784-100-10, SGD", "W2": "W2 CNN, Adam"}
HEADER = ["workload (batch 64 over all processes)", "averaging", "processes", "images/s", "speedup",
          "ms/step", "waiting for the average, ms/step"]


def parse(lines):
    """{(workload, averaging, processes): [{metric: value}, ...]} over the rounds."""
    runs = {}
    for line in lines:
        if not line.startswith("RESULT "):
            continue
        fields = dict(field.split("=", 1) for field in line.split()[1:])
        match = NAME.fullmatch(fields.get("name", ""))
        if match:
            key = (match[1], match[3], int(match[2]))
            runs.setdefault(key, []).append({k: float(fields[k]) for k in
                                             ("images_per_second", "ms_per_step", "averaging_wait_ms_per_step")})
    return runs


def rows(runs):
    median = lambda key, metric: statistics.median(r[metric] for r in runs[key])
    out = []
    for key in sorted(runs):
        workload, averaging, processes = key
        one = (workload, averaging, 1)
        speedup = median(key, "images_per_second") / median(one, "images_per_second") if one in runs else None
        out.append([TITLES.get(workload, workload), averaging, str(processes), f"{median(key, 'images_per_second'):,.0f}",
                    f"{speedup:.2f}" if speedup else "—", f"{median(key, 'ms_per_step'):.2f}",
                    f"{median(key, 'averaging_wait_ms_per_step'):.2f}"])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    with open(args.results) as f:
        table = rows(parse(f))
    if not table:
        print("no data-parallel results (bench/dist_train needs the library built with MPI)")
        return
    widths = [max(len(r[i]) for r in table + [HEADER]) for i in range(len(HEADER))]
    for r in [HEADER] + table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)))
    if args.markdown:
        with open(args.markdown, "a") as f:
            f.write("\n| " + " | ".join(HEADER) + " |\n|" + "---|" * len(HEADER) + "\n")
            for r in table:
                f.write("| " + " | ".join(r) + " |\n")


if __name__ == "__main__":
    sys.exit(main())
