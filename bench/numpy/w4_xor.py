#!/usr/bin/python3
"""W4 in numpy, the seed's "neural network in 11 lines": a 3-4-1 sigmoid network learns XOR with
hand-written backpropagation, full batch, 60,000 iterations, float64. Prints a RESULT line."""
import argparse
import os
import time

from peak import peak_mib


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=60000)
    args = parser.parse_args()
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # read when numpy loads OpenBLAS
    import numpy as np

    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0, 1, 1, 0]]).T
    np.random.seed(1)
    syn0 = 2 * np.random.random((3, 4)) - 1
    syn1 = 2 * np.random.random((4, 1)) - 1

    start = time.perf_counter()
    for _ in range(args.iterations):
        l1 = 1 / (1 + np.exp(-(np.dot(X, syn0))))
        l2 = 1 / (1 + np.exp(-(np.dot(l1, syn1))))
        l2_delta = (y - l2) * (l2 * (1 - l2))
        l1_delta = l2_delta.dot(syn1.T) * (l1 * (1 - l1))
        syn1 += l1.T.dot(l2_delta)
        syn0 += X.T.dot(l1_delta)
    seconds = time.perf_counter() - start
    print(f"RESULT name=W4_xor impl=numpy threads={args.threads} seconds={seconds:.6g} "
          f"mean_abs_error={np.mean(np.abs(y - l2)):.6g} peak_mib={peak_mib():.6g}", flush=True)


if __name__ == "__main__":
    main()
