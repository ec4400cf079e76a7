#pragma once
// Inside tg::dist only (never installed, so that users' code does not need mpi.h): the library's
// communicator, MPI return codes turned into tg::Error, and waits bounded by the timeout.
// Only MPI's C interface: its deprecated C++ bindings are neither used nor warning-free.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <string>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/train/process_group.hpp"

namespace tg::dist::detail {

// A duplicate of MPI_COMM_WORLD whose errors are returned (MPI_ERRORS_RETURN), not fatal.
// Throws when no Context is alive.
MPI_Comm communicator(const char* caller);

// Throws tg::Error "<caller>: <MPI's message>" unless rc is MPI_SUCCESS.
void check(int rc, const char* caller);

// Waits for every request, driving MPI's progress; past the timeout it throws naming `caller`,
// and the job is then ended when the Context goes (outstanding requests cannot be cancelled).
void wait_all(std::vector<MPI_Request>& requests, const char* caller);
void wait(MPI_Request& request, const char* caller);

// Lets MPI progress the requests (a non-blocking collective advances only inside MPI calls).
void progress(std::vector<MPI_Request>& requests, const char* caller);

// The lowest rank whose `failed` is true, or -1; every rank learns the same answer.
int first_failing_rank(bool failed, const char* caller);
// Every tensor from `root` into every rank's tensor of the same shape, in one wait.
void broadcast_tensors(const std::vector<Tensor>& tensors, int root, const char* caller);

// Each tensor once: a parameter shared by two modules is listed under both.
std::vector<Tensor> each_once(const std::vector<Tensor>& tensors);

// The text that rank `from` holds in `text`, on every rank.
std::string broadcast_text(std::string text, int from, const char* caller);

// What fit sees of the MPI processes; the Context registers it (nn::set_process_group).
nn::ProcessGroup& mpi_process_group();

}  // namespace tg::dist::detail
