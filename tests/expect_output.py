#!/usr/bin/env python3
"""Runs a program and checks that each expected line appears, in order, in what it prints."""
import subprocess
import sys


def main() -> int:
    sep = sys.argv.index("--")
    expected, command = sys.argv[1:sep], sys.argv[sep + 1:]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    lines = run.stdout.splitlines()
    print(run.stdout, end="")
    if run.returncode != 0:
        print(f"FAIL: {command[0]} exited with {run.returncode}\n{run.stderr}")
        return 1
    position = 0
    for want in expected:
        found = next((i for i in range(position, len(lines)) if lines[i].strip() == want.strip()), None)
        if found is None:
            print(f"FAIL: expected line not printed (in order): {want!r}")
            return 1
        position = found + 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
