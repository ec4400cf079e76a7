#!/usr/bin/env python3
"""Writes a small synthetic fruit folder into DIR with the make_fruit_images program, then runs
expect_output.py once per group of arguments, in order (a model trained by one group can be
used by the next). Groups are separated by "--then".
usage: with_fruit_images.py MAKE_FRUIT_IMAGES DIR PER_CLASS EXPECT_OUTPUT_ARGS... [--then EXPECT_OUTPUT_ARGS...]"""
import os
import shutil
import subprocess
import sys


def main() -> int:
    generator, directory, per_class, rest = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    shutil.rmtree(directory, ignore_errors=True)  # a fresh set: fewer photos than last time would leave old ones
    made = subprocess.run([generator, "--out", directory, "--per-class", per_class])
    if made.returncode != 0:
        print(f"FAIL: {generator} exited with {made.returncode}")
        return 1
    checker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expect_output.py")
    groups = [[]]
    for arg in rest:
        if arg == "--then":
            groups.append([])
        else:
            groups[-1].append(arg)
    for group in groups:
        status = subprocess.run([sys.executable, checker] + group).returncode
        if status != 0:
            return status
    return 0


if __name__ == "__main__":
    sys.exit(main())
