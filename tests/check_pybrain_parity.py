#!/usr/bin/env python3
"""Runs examples/pybrain_parity and checks what it prints: the error every 100 epochs, falling,
and for each network (PyBrain's and the LSTM) all 33 steps of the five parity sequences, each
target the running parity of the inputs (+1 odd, -1 even) and each output of the target's sign.

usage: check_pybrain_parity.py PROGRAM [ARGS...]
"""
import re
import subprocess
import sys


def main() -> int:
    out = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=300, check=True).stdout
    errors = [float(e) for e in re.findall(r"^epoch +\d+  error: ([0-9.]+)$", out, re.M)]
    problems = []
    if len(errors) != 10 or not errors[-1] < errors[0] / 10:
        problems.append(f"expected 10 falling errors per 100 epochs, got {errors}")
    for network in ("PyBrain network", "LSTM"):
        steps = 0
        for block in re.findall(rf"^{network}, sequence \d+:\n((?:  input.*\n)+)", out, re.M):
            odd = False
            for x, target, output in re.findall(r"input +(-?1)  target +(-?1)  output +(-?[0-9.]+)", block):
                odd ^= x == "1"
                steps += 1
                if int(target) != (1 if odd else -1):
                    problems.append(f"{network}: target {target} is not the parity after input {x}")
                if (float(output) > 0) != (int(target) > 0):
                    problems.append(f"{network}: output {output} for target {target}")
        if steps != 33:
            problems.append(f"{network}: {steps} steps printed, expected 33")
    for p in problems:
        print(p)
    if not problems:
        print("all 33 steps of both networks have the target's sign")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
