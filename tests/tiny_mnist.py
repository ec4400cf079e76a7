#!/usr/bin/env python3
"""Writes a tiny MNIST-like data set into DIR, as IDX files and as the tutorials' CSV files
(mnist_train.csv, mnist_test.csv): class k is a bright 4x4 block at its own place on a noisy
28x28 image, so a working perceptron separates them quickly.
Then, if more arguments follow, runs expect_output.py with each group of them in order,
groups separated by "--then" (a program given "--data DIR" is checked on the tiny set; a
model one group saves can be read by the next).
usage: tiny_mnist.py DIR [EXPECT_OUTPUT_ARGS... [--then EXPECT_OUTPUT_ARGS...]]"""
import gzip
import os
import random
import struct
import subprocess
import sys


def write(path: str, magic: int, dims: list, payload: bytes) -> None:
    # Written aside and renamed into place: a program reading the set meanwhile never sees half a file.
    partial = f"{path}.gz.{os.getpid()}.partial"
    with gzip.open(partial, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims) + payload)
    os.replace(partial, path + ".gz")


def write_csv(path: str, images: bytes, labels: bytes) -> None:
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "w") as f:
        for i, label in enumerate(labels):
            f.write(",".join(str(v) for v in [label, *images[i * 784:(i + 1) * 784]]) + "\n")
    os.replace(partial, path)


def make(directory: str, split: str, count: int, rng: random.Random) -> None:
    images, labels = bytearray(), bytearray()
    for _ in range(count):
        label = rng.randrange(10)
        pixels = [rng.randrange(40) for _ in range(28 * 28)]
        top, left = 4 + 12 * (label // 5), 2 + 5 * (label % 5)
        for r in range(top, top + 4):
            for c in range(left, left + 4):
                pixels[r * 28 + c] = 200 + rng.randrange(56)
        images += bytes(pixels)
        labels.append(label)
    write(os.path.join(directory, f"{split}-images-idx3-ubyte"), 2051, [count, 28, 28], bytes(images))
    write(os.path.join(directory, f"{split}-labels-idx1-ubyte"), 2049, [count], bytes(labels))
    write_csv(os.path.join(directory, "mnist_" + ("train" if split == "train" else "test") + ".csv"), images, labels)


if __name__ == "__main__":
    os.makedirs(sys.argv[1], exist_ok=True)
    rng = random.Random(5)
    make(sys.argv[1], "train", 600, rng)
    make(sys.argv[1], "t10k", 200, rng)
    checker = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expect_output.py")
    groups = [[]]
    for arg in sys.argv[2:]:
        if arg == "--then":
            groups.append([])
        else:
            groups[-1].append(arg)
    for group in groups:
        if group and (status := subprocess.run([sys.executable, checker] + group).returncode) != 0:
            sys.exit(status)
