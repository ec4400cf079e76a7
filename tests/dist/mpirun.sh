#!/usr/bin/env bash
# Runs a program on N processes of this machine with OpenMPI, set up to work wherever the tests
# run: as root (CI runs as root), in a container (no single-copy shared memory, which needs
# ptrace rights between processes), on shared memory alone (no network, no InfiniBand/UCX probing),
# with more processes than cores allowed and no pinning to cores.
#
#   tests/dist/mpirun.sh N program [args...]
set -euo pipefail
n="$1"
shift
as_root=()
((EUID != 0)) || as_root=(--allow-run-as-root)
export OMPI_MCA_pml=ob1 OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
exec mpirun -np "$n" "${as_root[@]}" --oversubscribe --bind-to none "$@"
