#!/usr/bin/env python3
"""Runs examples/char_lstm on a short text twice: two epochs, then resumed from its checkpoint
for a third. Checks that bits per character start below the uniform guess and fall, that a
sample of the asked length is printed, and that the resumed run continues at epoch 3 with the
first two epochs kept in its history.

usage: check_char_lstm.py WORKDIR PROGRAM [ARGS...]
"""
import csv
import os
import re
import subprocess
import sys


def run(command):
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def epochs(out):
    return {int(e): float(b) for e, b in re.findall(r"^epoch (\d+)/\d+  loss [0-9.]+  bits/char ([0-9.]+)", out, re.M)}


def main() -> int:
    workdir, command = sys.argv[1], sys.argv[2:]
    os.makedirs(workdir, exist_ok=True)
    checkpoint, history = os.path.join(workdir, "char_lstm.safetensors"), os.path.join(workdir, "history")
    common = command + ["--checkpoint", checkpoint, "--history", history, "--sample", "80"]
    problems = []

    first = run(common + ["--epochs", "2"])
    uniform = float(re.search(r"\(([0-9.]+) bits/char for a uniform guess\)", first).group(1))
    bits = epochs(first)
    if sorted(bits) != [1, 2] or not bits[1] < uniform or not bits[2] < bits[1]:
        problems.append(f"bits/char per epoch {bits} should start below {uniform} and fall")
    sample = first.split("sample: ", 1)[1] if "sample: " in first else ""
    if len(sample.rstrip("\n")) < 80:
        problems.append(f"the sample is {len(sample)} characters: {sample!r}")

    resumed = run(common + ["--epochs", "3", "--resume", "1"])
    if "after epoch 2" not in resumed or sorted(epochs(resumed)) != [3]:
        problems.append("the resumed run did not continue at epoch 3:\n" + resumed)
    with open(history + ".csv") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 3:
        problems.append(f"the history holds {len(rows)} epochs, expected 3")

    for p in problems:
        print(p)
    if not problems:
        print(f"bits/char {bits[1]:.3f} -> {bits[2]:.3f} (uniform {uniform:.3f}); resumed at epoch 3")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
