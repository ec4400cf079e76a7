#!/usr/bin/env python3
"""Runs a program and checks, in order, that it prints each expected line.

An expectation is a whole line, or "re:REGEX" for a line matching REGEX, or
"min:PREFIX:VALUE" for a line "PREFIX <number>" with number >= VALUE.
"--skip-unless PATH" before the expectations skips the test (exit 77) when PATH is missing:
for checks that need a downloaded data set.
usage: expect_output.py [--skip-unless PATH] EXPECTATION... -- PROGRAM [ARGS...]
"""
import os
import re
import subprocess
import sys


def matches(line: str, want: str) -> bool:
    line = line.strip()
    if want.startswith("re:"):
        return re.fullmatch(want[3:], line) is not None
    if want.startswith("min:"):
        prefix, _, value = want[4:].rpartition(":")
        if not line.startswith(prefix):
            return False
        try:
            return float(line[len(prefix):].lstrip(": \t").split()[0]) >= float(value)
        except (ValueError, IndexError):
            return False
    return line == want.strip()


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--skip-unless"]:
        if not os.path.exists(args[1]):
            print(f"SKIP: {args[1]} is missing (see scripts/fetch_*.sh)")
            return 77
        args = args[2:]
    sep = args.index("--")
    expected, command = args[:sep], args[sep + 1:]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900)
    print(run.stdout, end="")
    if run.returncode != 0:
        print(f"FAIL: {command[0]} exited with {run.returncode}\n{run.stderr}")
        return 1
    lines = run.stdout.splitlines()
    position = 0
    for want in expected:
        found = next((i for i in range(position, len(lines)) if matches(lines[i], want)), None)
        if found is None:
            print(f"FAIL: expected line not printed (in order): {want!r}")
            return 1
        position = found + 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
