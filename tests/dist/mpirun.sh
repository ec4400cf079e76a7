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
# Under AddressSanitizer (scripts/test.sh --sanitize): OpenMPI's own never-freed blocks are not
# leaks of ours. Their stacks are unwound whole, past the components OpenMPI has unloaded by
# exit, down to a library the suppressions name.
if [[ -n "${ASAN_OPTIONS:-}" ]]; then
  export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"
  export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(dirname "${BASH_SOURCE[0]}")/lsan_openmpi.supp:print_suppressions=0"
fi
exec mpirun -np "$n" "${as_root[@]}" --oversubscribe --bind-to none "$@"
