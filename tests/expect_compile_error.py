#!/usr/bin/env python3
"""Compiles a file that must not compile and checks that the compiler says why.

usage: expect_compile_error.py SOURCE MESSAGE... -- COMPILER [FLAGS...]
Passes when the compiler fails and its output contains every MESSAGE.
"""
import subprocess
import sys


def main() -> int:
    args = sys.argv[1:]
    sep = args.index("--")
    (source, *messages), command = args[:sep], args[sep + 1:]
    run = subprocess.run(command + [source], capture_output=True, text=True, timeout=300)
    if run.returncode == 0:
        print(f"FAIL: {source} compiled, but it must not")
        return 1
    missing = [m for m in messages if m not in run.stderr]
    if missing:
        print(run.stderr[-4000:])
        print(f"FAIL: the compiler refused {source}, but without saying: {missing}")
        return 1
    print(f"{source} does not compile, as expected: {messages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
