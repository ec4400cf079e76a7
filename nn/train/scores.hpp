#pragma once
// How a pass over a data set scores a model's outputs: each output's loss and metrics, summed
// over the pass and written as logs. Internal to nn/train.
#include <cstddef>
#include <string>
#include <vector>

#include "nn/train/distributed_fit.hpp"
#include "nn/train/history.hpp"
#include "nn/train/losses.hpp"
#include "nn/train/metrics.hpp"
#include "nn/train/samples.hpp"

namespace tg::nn::detail {

template <class T>
class Scores {
 public:
  // Checks that every loss and metric takes its output's targets; `op` names the caller in errors.
  Scores(const Losses& losses, const std::vector<Metric>& metrics, const std::vector<std::vector<Metric>>& output_metrics,
         const Samples<T>& data, const char* op);

  // The batch's loss (the sum of its outputs' losses: what backward differentiates), after
  // adding each output's loss and metrics to the sums. A loss that is not finite is an error.
  BasicTensor<T> add(const std::vector<BasicTensor<T>>& outputs, const TensorBatch<T>& batch);
  double mean_loss() const;  // over the samples added so far
  // Every rank's sums added up (data-parallel fit): the scores of all ranks' samples.
  void sum_over(const DistributedFit& replicas);
  // "loss" and each metric (per output "out<k>_loss", "out<k>_<metric>" when there are several), after `prefix`.
  void write(Logs& logs, const std::string& prefix) const;

 private:
  struct Output {
    const LossFunction* loss;
    std::vector<const Metric*> metrics;
    double loss_sum = 0;
    std::vector<double> metric_sums;
  };
  const char* op_;
  std::vector<Output> outputs_;
  double loss_sum_ = 0;
  std::size_t samples_ = 0;
};

extern template class Scores<float>;
extern template class Scores<double>;

}  // namespace tg::nn::detail
