#pragma once
// Data-parallel training over MPI, as PyTorch's DistributedDataParallel and Horovod do it: every
// process (rank) holds the whole model, computes the gradient of its share of each batch, and the
// gradients are averaged so that every rank takes the same step. Built when MPI is installed
// (meson -Dmpi=auto|enabled|disabled); tapegrad.pc then defines TAPEGRAD_HAS_MPI.
//
//   int main(int argc, char** argv) {
//     tg::dist::Context mpi(argc, argv);
//     ... build the model and optimizer ...
//     tg::dist::broadcast_parameters(model);  // all ranks start from rank 0's weights
//     for (...) {                              // each rank on its own rows of the batch
//       optimizer.zero_grad();
//       loss(model(x_shard), y_shard).backward();
//       tg::dist::average_gradients(model);    // or a GradientBuckets, overlapping backward
//       optimizer.step();
//     }
//   }
//   $ mpirun -np 4 ./train
#include <chrono>

#include "autograd/tensor.hpp"
#include "nn/dist/gradient_buckets.hpp"
#include "nn/module.hpp"

namespace tg::dist {

// MPI for the life of the program: MPI_Init_thread (MPI_THREAD_SERIALIZED: any one thread at a
// time may call tg::dist) and MPI_Finalize; one per process, before any other call here.
// Leaving its scope through an exception skips MPI_Finalize, so that mpirun ends the other ranks
// instead of leaving them waiting; after a failed or timed-out collective it calls MPI_Abort.
class Context {
 public:
  Context(int& argc, char**& argv);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

 private:
  int uncaught_exceptions_;
};

int rank();        // this process, 0 .. world_size() - 1
int world_size();  // the number of processes
void barrier();

void all_reduce(Tensor& t);  // sum over all ranks, in place; every rank must pass the same shape
void all_reduce(TensorD& t);
void broadcast(Tensor& t, int root = 0);  // root's values into every rank's tensor of that shape
void broadcast(TensorD& t, int root = 0);

// Root's parameters and buffers into every rank's model. The ranks' names and shapes are
// compared first: a difference throws on every rank, naming the parameter and the ranks.
void broadcast_parameters(nn::Module& model, int root = 0);
// Every parameter's grad, averaged over the ranks, after backward(); a parameter without a
// gradient counts as zeros, and stays without one when no rank has one.
void average_gradients(nn::Module& model);

// How long a collective waits for the other ranks before it throws (a rank has died or hangs):
// 300 s unless the environment variable TAPEGRAD_DIST_TIMEOUT gives seconds.
void set_timeout(std::chrono::duration<double> timeout);
std::chrono::duration<double> timeout();

}  // namespace tg::dist
