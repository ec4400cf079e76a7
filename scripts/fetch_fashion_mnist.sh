#!/bin/sh
# Links Fashion-MNIST into data/fashion-mnist/ (git-ignored) from the Debian package
# dataset-fashion-mnist, installing it when missing. The files stay gzip-compressed; the
# IDX readers read them as they are. Does nothing when the links are already there.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/data/fashion-mnist"
package=dataset-fashion-mnist

# name and uncompressed size in bytes of each IDX file
files="train-images-idx3-ubyte.gz 47040016
train-labels-idx1-ubyte.gz 60008
t10k-images-idx3-ubyte.gz 7840016
t10k-labels-idx1-ubyte.gz 10008"

uncompressed_size() { gzip -l "$1" | awk 'NR == 2 { print $2 }'; }

has_all_files() {
  while read -r name size; do
    [ -f "$1/$name" ] && [ "$(uncompressed_size "$1/$name")" = "$size" ] || return 1
  done <<END
$files
END
}

if has_all_files "$dest"; then
  echo "Fashion-MNIST already in $dest"
  exit 0
fi

if ! dpkg -s "$package" > /dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y "$package"
fi
source_dir=$(dpkg -L "$package" | grep '/train-images-idx3-ubyte.gz$' | xargs dirname)
if [ -z "$source_dir" ] || ! has_all_files "$source_dir"; then
  echo "fetch_fashion_mnist: $package does not hold the expected IDX files in '$source_dir'" >&2
  exit 1
fi

mkdir -p "$dest"
while read -r name size; do
  ln -sfn "$source_dir/$name" "$dest/$name"
done <<END
$files
END
echo "Fashion-MNIST linked into $dest from $source_dir"
