#include "nn/train/scores.hpp"

#include <cmath>

#include "ops/arithmetic.hpp"

namespace tg::nn::detail {
namespace {

std::string target_kind(bool labels) { return labels ? "labels" : "target rows"; }

}  // namespace

template <class T>
Scores<T>::Scores(const Losses& losses, const std::vector<Metric>& metrics,
                  const std::vector<std::vector<Metric>>& output_metrics, const Samples<T>& data, const char* op)
    : op_(op) {
  const std::size_t n = data.target_count();
  if (losses.size() != 1 && losses.size() != n)
    throw Error(std::string(op) + ": " + std::to_string(losses.size()) + " losses for " + std::to_string(n) +
                " target columns (give one loss for every output, or one per output)");
  if (output_metrics.size() > n)
    throw Error(std::string(op) + ": output_metrics for " + std::to_string(output_metrics.size()) + " outputs, but " +
                std::to_string(n) + " target columns");
  for (std::size_t k = 0; k < n; ++k) {
    const bool labels = data.labels(k);
    Output output{&losses.of(k), {}};
    if (!output.loss->template takes<T>(labels))
      throw Error(std::string(op) + ": the loss of output " + std::to_string(k) + " does not take " +
                  target_kind(labels) + " (target column " + std::to_string(k) + " holds them)");
    for (const Metric& m : metrics) output.metrics.push_back(&m);
    if (k < output_metrics.size())
      for (const Metric& m : output_metrics[k]) output.metrics.push_back(&m);
    for (const Metric* m : output.metrics)
      if (!m->template takes<T>(labels))
        throw Error(std::string(op) + ": metric '" + m->name() + "' does not take " + target_kind(labels) +
                    " (target column " + std::to_string(k) + " holds them)");
    output.metric_sums.assign(output.metrics.size(), 0.0);
    outputs_.push_back(std::move(output));
  }
}

template <class T>
BasicTensor<T> Scores<T>::add(const std::vector<BasicTensor<T>>& outputs, const TensorBatch<T>& batch) {
  if (outputs.size() != outputs_.size())
    throw Error(std::string(op_) + ": the model gave " + std::to_string(outputs.size()) + " outputs for " +
                std::to_string(outputs_.size()) + " target columns");
  const auto samples = static_cast<double>(batch.size);
  BasicTensor<T> total;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    Output& output = outputs_[k];
    const BasicTensor<T> loss = (*output.loss)(outputs[k], batch.targets[k]);
    const double value = loss.item();
    if (!std::isfinite(value))
      throw Error(std::string(op_) + ": the loss is " + std::to_string(value) + " (lower the learning rate or check the data)");
    output.loss_sum += value * samples;
    for (std::size_t m = 0; m < output.metrics.size(); ++m)
      output.metric_sums[m] += output.metrics[m]->sum(outputs[k], batch.targets[k]);
    total = k == 0 ? loss : total + loss;
  }
  loss_sum_ += total.item() * samples;
  samples_ += batch.size;
  return total;
}

template <class T>
void Scores<T>::sum_over(const DistributedFit& replicas) {
  if (!replicas.distributed()) return;
  std::vector<double> sums = {loss_sum_, static_cast<double>(samples_)};
  for (const Output& output : outputs_) {
    sums.push_back(output.loss_sum);
    sums.insert(sums.end(), output.metric_sums.begin(), output.metric_sums.end());
  }
  replicas.sum(sums);
  auto next = sums.begin();
  loss_sum_ = *next++;
  samples_ = static_cast<std::size_t>(*next++);
  for (Output& output : outputs_) {
    output.loss_sum = *next++;
    for (double& sum : output.metric_sums) sum = *next++;
  }
}

template <class T>
double Scores<T>::mean_loss() const {
  return samples_ ? loss_sum_ / static_cast<double>(samples_) : std::nan("");
}

template <class T>
void Scores<T>::write(Logs& logs, const std::string& prefix) const {
  const auto n = static_cast<double>(samples_);
  auto mean = [&](double sum) { return samples_ ? sum / n : std::nan(""); };
  logs.set(prefix + "loss", mean_loss());
  const bool several = outputs_.size() > 1;
  for (std::size_t k = 0; k < outputs_.size(); ++k) {
    const std::string out = several ? "out" + std::to_string(k) + "_" : "";
    if (several) logs.set(prefix + out + "loss", mean(outputs_[k].loss_sum));
    for (std::size_t m = 0; m < outputs_[k].metrics.size(); ++m)
      logs.set(prefix + out + outputs_[k].metrics[m]->name(), mean(outputs_[k].metric_sums[m]));
  }
}

template class Scores<float>;
template class Scores<double>;

}  // namespace tg::nn::detail
