#include "nn/train/distributed_fit.hpp"

#include "autograd/error.hpp"

namespace tg::nn {
namespace {

ProcessGroup& group_for_fit() {
  ProcessGroup* group = process_group();
  if (!group)
    throw Error(
        "fit: distributed needs a tg::dist::Context alive on every process (and tapegrad built with MPI); "
        "launch the program with mpirun");
  return *group;
}

}  // namespace

DistributedFit::DistributedFit(bool distributed, BasicModule<float>& model,
                               const std::vector<std::pair<std::string, double>>& settings) {
  if (!distributed) return;
  group_ = &group_for_fit();
  group_->check_same(settings, "fit");
  averager_ = group_->replicate(model);
}

DistributedFit::DistributedFit(bool distributed, BasicModule<double>&,
                               const std::vector<std::pair<std::string, double>>&) {
  if (distributed)
    throw Error("fit: distributed training takes float models; this one computes in double (BasicModule<double>)");
}

std::pair<std::size_t, std::size_t> DistributedFit::shard(std::size_t count) const {
  if (!group_) return {0, count};
  const auto rank = static_cast<std::size_t>(group_->rank()), size = static_cast<std::size_t>(group_->size());
  return {count * rank / size, count * (rank + 1) / size};
}

std::span<const std::size_t> DistributedFit::shard(std::span<const std::size_t> batch) const {
  const auto [begin, end] = shard(batch.size());
  return batch.subspan(begin, end - begin);
}

void DistributedFit::begin_step(std::size_t samples, std::size_t step_samples) {
  if (averager_) averager_->begin_step(static_cast<double>(samples) / static_cast<double>(step_samples));
}

void DistributedFit::before_backward(bool last) {
  if (averager_) averager_->before_backward(last);
}

void DistributedFit::end_step() {
  if (averager_) averager_->end_step();
}

void DistributedFit::sum(std::vector<double>& values) const {
  if (group_) group_->sum(values);
}

void DistributedFit::finish() const {
  if (group_) group_->barrier();
}

}  // namespace tg::nn
