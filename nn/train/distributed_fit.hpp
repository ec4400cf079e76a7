#pragma once
// fit across processes (FitOptions::distributed), in one place: which samples of each batch this
// rank trains on, keeping the model's replicas in step, and the sums over all ranks that make
// the logs. Not distributed, every call is what one process does, so fit reads the same.
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "nn/module.hpp"
#include "nn/train/process_group.hpp"

namespace tg::nn {

class DistributedFit {
 public:
  DistributedFit() = default;  // one process
  // Distributed: needs a process group (a tg::dist::Context), checks that every rank was given
  // the same `settings` (sample count, seed, batch size, ...) and gives every rank rank 0's model.
  // Data-parallel training is for float models; a double one is refused.
  DistributedFit(bool distributed, BasicModule<float>& model,
                 const std::vector<std::pair<std::string, double>>& settings);
  DistributedFit(bool distributed, BasicModule<double>& model,
                 const std::vector<std::pair<std::string, double>>& settings);

  bool distributed() const { return group_ != nullptr; }
  // The process that prints, plots and writes files: rank 0, or the only one.
  bool is_main_process() const { return !group_ || group_->rank() == 0; }

  // This rank's part of a batch's samples: contiguous, the parts' sizes differing by one at most
  // (a rank may get none).
  std::span<const std::size_t> shard(std::span<const std::size_t> batch) const;
  // [begin, end) of `count` samples: this rank's part.
  std::pair<std::size_t, std::size_t> shard(std::size_t count) const;

  // Around one optimizer step, on every rank: `samples` of the step's `step_samples` are this
  // rank's; before_backward(last) precedes each backward pass; after end_step every gradient is
  // the whole step's.
  void begin_step(std::size_t samples, std::size_t step_samples);
  void before_backward(bool last);
  void end_step();

  void sum(std::vector<double>& values) const;  // over all ranks, in place
  void finish() const;                          // returns when every rank has finished

 private:
  ProcessGroup* group_ = nullptr;
  std::unique_ptr<GradientAverager> averager_;
};

}  // namespace tg::nn
