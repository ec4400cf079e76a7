#!/usr/bin/env python3
"""Writes MNIST IDX files as the CSV the classic tutorials read (mnist_train.csv): one image
per line, `label,pix0,...,pix783`, pixels as integers 0..255. The file is written aside and
renamed into place, so an interrupted run never leaves a short CSV.
usage: mnist_csv.py IMAGES_IDX LABELS_IDX OUT_CSV"""
import os
import struct
import sys


def read_idx(path: str, magic: int) -> tuple:
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    found, *shape = struct.unpack(">" + "I" * (1 + dims), data[:4 + 4 * dims])
    if found != magic:
        sys.exit(f"mnist_csv: {path}: magic number {found}, expected {magic}")
    return shape, data[4 + 4 * dims:]


def main() -> int:
    images_path, labels_path, out = sys.argv[1:4]
    (count, rows, cols), pixels = read_idx(images_path, 2051)
    (labels_count,), labels = read_idx(labels_path, 2049)
    if labels_count != count:
        sys.exit(f"mnist_csv: {images_path} holds {count} images but {labels_path} {labels_count} labels")
    size = rows * cols
    text = [str(v) for v in range(256)]
    partial = f"{out}.{os.getpid()}.partial"
    with open(partial, "w") as f:
        for i in range(count):
            row = pixels[i * size:(i + 1) * size]
            f.write(text[labels[i]] + "," + ",".join(text[v] for v in row) + "\n")
    os.replace(partial, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
