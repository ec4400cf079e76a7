#!/usr/bin/env python3
"""Runs examples/derivatives and checks what it prints against derivatives worked by hand.

f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 at (-1.5, 2):
  f = 2.5^2 + 100 * 0.25^2 = 12.5
  df/dx = -2 (1 - x) - 400 x (y - x^2) = -5 - 150 = -155,  df/dy = 200 (y - x^2) = -50
  d2f/dx2 = 1200 x^2 - 400 y + 2 = 1902,  d2f/dxdy = -400 x = 600
One step of size 0.001 gives (-1.5 + 0.155, 2 + 0.05) = (-1.345, 2.05), where
  f = 2.345^2 + 100 * 0.240975^2 = 11.3059200625.
"""
import math
import re
import subprocess
import sys

NUMBER = r"[-+0-9.eE]+"


def vector(text):
    return [float(v) for v in text.split(",")]


def expect_close(name, got, want, tol):
    if len(got) != len(want) or any(not math.isclose(g, w, rel_tol=tol, abs_tol=tol) for g, w in zip(got, want)):
        sys.exit(f"{name}: got {got}, expected {want}")


def main():
    out = subprocess.run([sys.argv[1]], capture_output=True, text=True, check=True, timeout=120).stdout
    print(out, end="")

    start = re.search(rf"at x = \[(.*)\]: f = ({NUMBER})", out)
    gradient = re.search(r"gradient = \[(.*)\]", out)
    hessian_v = re.search(r"Hessian \* \[1, 0\] = \[(.*)\]", out)
    steps = [(int(s), float(f), vector(x)) for s, f, x in
             re.findall(rf"step +(\d+): f = ({NUMBER}) +x = \[(.*)\]", out)]
    if not (start and gradient and hessian_v and len(steps) >= 3):
        sys.exit("derivatives: output is missing a line")

    expect_close("start", vector(start.group(1)), [-1.5, 2.0], 0)
    expect_close("f", [float(start.group(2))], [12.5], 1e-12)
    expect_close("gradient", vector(gradient.group(1)), [-155.0, -50.0], 1e-12)
    expect_close("Hessian * [1, 0]", vector(hessian_v.group(1)), [1902.0, 600.0], 1e-12)

    expect_close("step 0", [steps[0][1]] + steps[0][2], [12.5, -1.5, 2.0], 1e-12)
    expect_close("step 1", steps[1][2], [-1.345, 2.05], 1e-9)
    expect_close("f after step 1", [steps[1][1]], [11.3059200625], 1e-5)

    losses = [f for _, f, _ in steps]
    if any(b >= a for a, b in zip(losses, losses[1:])):
        sys.exit(f"gradient descent: f does not decrease at every printed step: {losses}")
    last_step, last_f, last_x = steps[-1]
    if last_f > 1e-6:
        sys.exit(f"gradient descent: f = {last_f} after {last_step} steps, expected below 1e-6")
    expect_close(f"x after {last_step} steps", last_x, [1.0, 1.0], 1e-3)
    print("derivatives: all values match the hand computation")


if __name__ == "__main__":
    main()
