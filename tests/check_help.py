"""Every example answers --help (exit 0, a usage text naming --help) and refuses an unknown
option with an error naming it (exit not 0), as CLI11 does.

    check_help.py PROGRAM...
"""
import subprocess
import sys


def main(programs):
    failures = []
    for program in programs:
        shown = subprocess.run([program, "--help"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if shown.returncode != 0 or "--help" not in shown.stdout or "Usage" not in shown.stdout:
            failures.append(f"{program} --help: exit {shown.returncode}, printed {shown.stdout + shown.stderr!r}")
        refused = subprocess.run([program, "--no-such-option"], capture_output=True, text=True, timeout=60,
                                 stdin=subprocess.DEVNULL)
        if refused.returncode == 0 or "--no-such-option" not in refused.stdout + refused.stderr:
            failures.append(f"{program} --no-such-option: exit {refused.returncode}, printed {refused.stdout + refused.stderr!r}")
    print("\n".join(failures) or f"{len(programs)} programs answer --help and refuse unknown options")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
