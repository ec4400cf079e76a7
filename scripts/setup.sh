#!/usr/bin/env bash
# Makes a Debian 12 machine ready to build tapegrad: installs the packages that are missing
# and configures a meson build directory (default: build). Safe and fast to run again.
#
#   scripts/setup.sh [build-dir [meson options...]]   e.g. scripts/setup.sh build-debug -Dbuildtype=debug
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-build}"
shift $(($# ? 1 : 0))

packages=(
  meson ninja-build g++ pkg-config
  libxtensor-dev libxsimd-dev libxtensor-blas-dev libopenblas-dev
  libboost-test-dev libbenchmark-dev nlohmann-json3-dev zlib1g-dev libstb-dev
  libcli11-dev  # the examples' command lines
  libopenmpi-dev openmpi-bin  # tg::dist and its tests on several processes (optional: -Dmpi=auto)
  gnuplot-nox  # draws the examples' history plots
)

missing=()
for package in "${packages[@]}"; do
  # dpkg -s also succeeds for a removed package whose config files remain: check the status.
  if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    as_root=(sudo)
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cd "$root"
if [[ -f "$build_dir/meson-private/coredata.dat" ]]; then
  meson setup --reconfigure "$build_dir" "$@"  # reuses what is built; picks up new packages
else
  meson setup "$build_dir" "$@"
fi
