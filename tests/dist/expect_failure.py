#!/usr/bin/env python3
"""Runs a job that must fail: it passes when the job ends with a nonzero status within SECONDS
and its output (standard output and error together) contains every TEXT.
usage: expect_failure.py SECONDS TEXT... -- COMMAND [ARGS...]"""
import os
import signal
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    sep = args.index("--")
    limit, texts, command = float(args[0]), args[1:sep], args[sep + 1:]
    start = time.monotonic()
    # A session of its own, so that a job that hangs is ended with every process it started.
    job = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = job.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, signal.SIGKILL)
        output, _ = job.communicate()
        print(output)
        print(f"FAIL: the job still ran after {limit:g} s")
        return 1
    print(output)
    print(f"the job ended with status {job.returncode} after {time.monotonic() - start:.1f} s")
    if job.returncode == 0:
        print("FAIL: the job succeeded")
        return 1
    missing = [t for t in texts if t not in output]
    for t in missing:
        print(f"FAIL: the output lacks {t!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
