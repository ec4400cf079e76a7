#pragma once
// What fit needs from the processes that train one model together (FitOptions::distributed).
// nn/dist provides it while a tg::dist::Context lives, so that fit itself knows nothing of MPI.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nn/module.hpp"

namespace tg::nn {

// Keeps one model's replicas in step: fit calls begin_step before an optimizer step's first
// forward pass and end_step after its last backward pass, on every rank, whether or not the rank
// had samples in the step.
class GradientAverager {
 public:
  virtual ~GradientAverager() = default;
  // `share`: this rank's samples of the step / the step's samples, the weight of its gradient.
  virtual void begin_step(double share) = 0;
  // Before each backward pass of the step: only the last one (`last`) starts the averaging;
  // those before it add to the gradients here (gradient accumulation over micro-batches).
  virtual void before_backward(bool last) = 0;
  // Every parameter's gradient is now that of the whole step's mean loss, on every rank.
  virtual void end_step() = 0;
};

class ProcessGroup {
 public:
  virtual ~ProcessGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Rank 0's parameters and buffers into every rank's model, then its gradients kept averaged.
  virtual std::unique_ptr<GradientAverager> replicate(Module& model) = 0;
  virtual void sum(std::vector<double>& values) = 0;  // over all ranks, in place
  // Throws on every rank, naming the first value that differs between the ranks ("<caller>: the
  // seed differs between the ranks: from 1 to 2"), unless every rank passed the same values.
  virtual void check_same(const std::vector<std::pair<std::string, double>>& named_values,
                          const std::string& caller) = 0;
  virtual void barrier() = 0;
};

// The group of this process, or nullptr: no tg::dist::Context alive, or no MPI in the library.
ProcessGroup* process_group();
void set_process_group(ProcessGroup* group);

}  // namespace tg::nn
