#!/usr/bin/env bash
# Installs what is missing, builds one example and runs it (default: the main demo).
#
#   scripts/demo.sh                       MNIST: the 784-100-10 perceptron, one epoch
#   scripts/demo.sh [example [args...]]   e.g. scripts/demo.sh derivatives
#   TAPEGRAD_BUILD_DIR=dir                build directory (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${TAPEGRAD_BUILD_DIR:-build}"
if (($# == 0)); then
  set -- mnist_mlp --loss cross-entropy
fi
example="$1"
shift

"$root/scripts/setup.sh" "$build_dir"
case "$example" in  # the data sets are fetched on first use into data/ (git-ignored)
  mnist_mlp | mnist_cnn | mnist_mdlstm) "$root/scripts/fetch_mnist.sh" ;;
  fashion_mnist_mlp) "$root/scripts/fetch_fashion_mnist.sh" ;;
  fruit360 | image_classifier) TAPEGRAD_BUILD_DIR="$build_dir" "$root/scripts/make_fruit_images.sh" ;;
esac
cd "$root"
meson compile -C "$build_dir" "$example"
exec "$build_dir/examples/$example" "$@"
