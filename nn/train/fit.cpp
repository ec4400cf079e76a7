#include "nn/train/fit.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <span>

#include "autograd/grad_mode.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/train/distributed_fit.hpp"
#include "nn/train/progress.hpp"
#include "nn/train/samples.hpp"
#include "nn/train/scores.hpp"
#include "nn/type_name.hpp"
#include "ops/arithmetic.hpp"

namespace tg::nn {
namespace {

std::string format_logs(const Logs& logs) {
  std::string line;
  char buf[96];
  for (const auto& [key, value] : logs.entries()) {
    if (key == "seconds") continue;
    std::snprintf(buf, sizeof buf, "%s%s: %.4f", line.empty() ? "" : " - ", key.c_str(), value);
    line += buf;
  }
  return line;
}


// The callbacks for a model of element type T; one for the other type is an error.
template <class T>
std::vector<BasicCallback<T>*> typed_callbacks(const std::vector<std::shared_ptr<CallbackBase>>& callbacks) {
  using Other = std::conditional_t<std::is_same_v<T, float>, double, float>;
  std::vector<BasicCallback<T>*> out;
  for (std::size_t i = 0; i < callbacks.size(); ++i) {
    auto* callback = dynamic_cast<BasicCallback<T>*>(callbacks[i].get());
    if (!callback && dynamic_cast<BasicCallback<Other>*>(callbacks[i].get()))
      throw Error("fit: callback " + std::to_string(i) + " is for " + element_type_name<Other>() +
                  " models, but the model computes in " + element_type_name<T>() + " (use BasicEarlyStopping<" +
                  element_type_name<T>() + ">, ...)");
    if (!callback) throw Error("fit: callback " + std::to_string(i) + " is null or not a BasicCallback");
    out.push_back(callback);
  }
  return out;
}

// Distributed, each rank scores its part of `data` and the sums are added up.
template <class T>
Logs evaluate_samples(BasicModule<T>& model, const Losses& loss, const detail::Samples<T>& data,
                      std::size_t batch_size, const std::vector<Metric>& metrics,
                      const std::vector<std::vector<Metric>>& output_metrics, const char* op,
                      const DistributedFit& replicas) {
  if (batch_size == 0) throw Error(std::string(op) + ": batch_size must be positive");
  detail::Scores<T> scores(loss, metrics, output_metrics, data, op);
  TrainingModeGuard<T> modes(model);
  model.eval();
  NoGradGuard no_grad;
  const auto [first, last] = replicas.shard(data.size());
  std::vector<std::size_t> order(last - first);
  std::iota(order.begin(), order.end(), first);
  for (std::size_t begin = 0; begin < order.size(); begin += batch_size) {
    const auto batch = data.batch(std::span(order).subspan(begin, std::min(batch_size, order.size() - begin)));
    scores.add(model(batch.inputs), batch);
  }
  scores.sum_over(replicas);
  Logs logs;
  scores.write(logs, "");
  return logs;
}

// One fit() call. An epoch is a sequence of optimizer steps, each over accumulation_steps
// batches of the epoch's order; data-parallel training changes order() (each rank's share) and
// step() (averaging the gradients before the optimizer's step), nothing else.
template <class T>
class Trainer {
 public:
  Trainer(BasicModule<T>& model, const Losses& loss, optim::Optimizer& optimizer, const Data& train,
          const FitOptions& options);
  History run();

 private:
  // Sample indices of epoch `epoch`, batch after batch.
  std::vector<std::size_t> order(std::size_t epoch) const;
  // Forward and backward over `batches` and one optimizer step, adding to `scores`; returns the
  // step's loss (the mean over its samples).
  double step(std::span<const std::span<const std::size_t>> batches, detail::Scores<T>& scores, ProgressBar& bar,
            std::size_t& done);
  Logs epoch(std::size_t epoch);

  BasicModule<T>& model_;
  const Losses& loss_;
  optim::Optimizer& optimizer_;
  const FitOptions& options_;
  std::optional<detail::Samples<T>> train_, validation_;
  std::vector<BasicCallback<T>*> callbacks_;
  BasicTrainState<T> state_;
  DistributedFit replicas_;  // data-parallel training's part: nn/train/distributed_fit.hpp
};

template <class T>
Trainer<T>::Trainer(BasicModule<T>& model, const Losses& loss, optim::Optimizer& optimizer, const Data& train,
                    const FitOptions& options)
    : model_(model), loss_(loss), optimizer_(optimizer), options_(options),
      callbacks_(typed_callbacks<T>(options.callbacks)),
      state_{model, optimizer, options.scheduler} {
  if (options.batch_size == 0) throw Error("fit: batch_size must be positive");
  if (options.accumulation_steps == 0) throw Error("fit: accumulation_steps must be positive");
  if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
    throw Error("fit: validation_split must be in [0, 1), got " + std::to_string(options.validation_split));
  if (options.validation_data) {
    train_.emplace(train, "fit", "training");
    validation_.emplace(*options.validation_data, "fit", "validation");
  } else if (options.validation_split > 0) {
    const std::size_t n = samples(train, "fit", "training");
    const auto held = static_cast<std::size_t>(static_cast<double>(n) * options.validation_split);
    train_.emplace(rows(train, 0, n - held), "fit", "training");
    validation_.emplace(rows(train, n - held, n), "fit", "validation");
  } else {
    train_.emplace(train, "fit", "training");
  }
  if (train_->size() == 0) throw Error("fit: no training samples");
  // Distributed, every rank must shuffle the same samples the same way and run the same steps.
  replicas_ = DistributedFit(options.distributed, model,
                             {{"number of training samples", static_cast<double>(train_->size())},
                              {"seed (high 32 bits)", static_cast<double>(options.seed >> 32)},
                              {"seed (low 32 bits)", static_cast<double>(options.seed & 0xffffffffu)},
                              {"shuffle", options.shuffle ? 1.0 : 0.0},
                              {"batch size", static_cast<double>(options.batch_size)},
                              {"accumulation steps", static_cast<double>(options.accumulation_steps)},
                              {"epochs", static_cast<double>(options.epochs)},
                              {"initial epoch", static_cast<double>(options.initial_epoch)}});
  state_.is_main_process = replicas_.is_main_process();
  // Checks the losses and metrics against the targets before the first epoch.
  detail::Scores<T>(loss, options.metrics, options.output_metrics, *train_, "fit");
  if (validation_) detail::Scores<T>(loss, options.metrics, options.output_metrics, *validation_, "fit");
}

template <class T>
std::vector<std::size_t> Trainer<T>::order(std::size_t epoch) const {
  if (options_.shuffle) return shuffled_indices(train_->size(), options_.seed, epoch);
  std::vector<std::size_t> order(train_->size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  return order;
}

template <class T>
double Trainer<T>::step(std::span<const std::span<const std::size_t>> batches, detail::Scores<T>& scores,
                        ProgressBar& bar, std::size_t& done) {
  // Distributed, this rank takes its share of every batch (all of it in one process).
  std::size_t samples = 0, step_samples = 0;
  for (const auto& indices : batches) {
    samples += replicas_.shard(indices).size();
    step_samples += indices.size();
  }
  optimizer_.zero_grad();
  replicas_.begin_step(samples, step_samples);
  double loss_sum = 0;
  for (std::size_t b = 0; b < batches.size(); ++b) {
    const auto indices = replicas_.shard(batches[b]);
    if (!indices.empty()) {
      const auto batch = train_->batch(indices);
      const BasicTensor<T> loss = scores.add(model_(batch.inputs), batch);
      loss_sum += loss.item() * static_cast<double>(indices.size());
      // Each batch's gradient weighted by its share of the step's samples.
      const double share = static_cast<double>(indices.size()) / static_cast<double>(samples);
      replicas_.before_backward(b + 1 == batches.size());
      if (batches.size() == 1) loss.backward();
      else (loss * static_cast<T>(share)).backward();
    }
    char status[48];
    std::snprintf(status, sizeof status, "loss: %.4f", scores.mean_loss());
    bar.update(++done, status);
  }
  replicas_.end_step();
  if (replicas_.distributed()) {  // the step's loss over every rank's samples
    std::vector<double> sums = {loss_sum, static_cast<double>(samples)};
    replicas_.sum(sums);
    loss_sum = sums[0];
    samples = step_samples;
  }
  optimizer_.step();
  ++state_.step;
  if (options_.scheduler && options_.schedule_per_batch) options_.scheduler->step();
  return loss_sum / static_cast<double>(samples);
}

template <class T>
Logs Trainer<T>::epoch(std::size_t epoch) {
  const std::vector<std::size_t> indices = order(epoch);
  std::vector<std::span<const std::size_t>> batches;
  for (std::size_t begin = 0; begin < indices.size(); begin += options_.batch_size)
    batches.push_back(std::span(indices).subspan(begin, std::min(options_.batch_size, indices.size() - begin)));
  const bool prints = options_.verbosity != Verbosity::Silent && replicas_.is_main_process();
  ProgressBar bar(*options_.out, batches.size(),
                  prints && options_.verbosity == Verbosity::Auto && is_terminal(*options_.out));
  detail::Scores<T> scores(loss_, options_.metrics, options_.output_metrics, *train_, "fit");
  std::size_t done = 0;
  state_.step = 0;
  for (std::size_t first = 0; first < batches.size(); first += options_.accumulation_steps) {
    const std::size_t count = std::min(options_.accumulation_steps, batches.size() - first);
    const double loss = step(std::span(batches).subspan(first, count), scores, bar, done);
    Logs logs;
    logs.set("loss", loss);
    for (auto* callback : callbacks_) callback->on_batch_end(state_, logs);
  }
  scores.sum_over(replicas_);
  Logs logs;
  scores.write(logs, "");
  if (validation_) {
    const Logs v = evaluate_samples(model_, loss_, *validation_, std::max<std::size_t>(options_.batch_size, 256),
                                    options_.metrics, options_.output_metrics, "fit", replicas_);
    for (const auto& [key, value] : v.entries()) logs.set("val_" + key, value);
  }
  if (options_.scheduler && !options_.schedule_per_batch) options_.scheduler->step();
  const double seconds = bar.elapsed_seconds();
  logs.set("seconds", seconds);
  if (prints) {
    char head[64];
    std::snprintf(head, sizeof head, "Epoch %zu/%zu - %.1fs - ", epoch + 1, options_.epochs, seconds);
    bar.finish(head + format_logs(logs));
  }
  return logs;
}

template <class T>
History Trainer<T>::run() {
  // A model in eval mode is put in training mode; one in training mode keeps each module's own
  // (a BatchNorm left in eval stays frozen); every mode is as it was afterwards.
  TrainingModeGuard<T> modes(model_);
  if (!model_.is_training()) model_.train();
  History history;
  for (auto* callback : callbacks_) callback->on_train_begin(state_);
  for (std::size_t e = options_.initial_epoch; e < options_.epochs && !state_.stop_training; ++e) {
    state_.epoch = e;
    const Logs logs = epoch(e);
    history.append(logs);
    for (auto* callback : callbacks_) callback->on_epoch_end(state_, logs);
  }
  for (auto* callback : callbacks_) callback->on_train_end(state_);
  replicas_.finish();  // what rank 0 wrote (checkpoints) is complete on every rank's return
  return history;
}

}  // namespace

template <class T>
History fit(BasicModule<T>& model, const Losses& loss, optim::Optimizer& optimizer, const Data& train,
            const FitOptions& options) {
  return Trainer<T>(model, loss, optimizer, train, options).run();
}

template <class T>
Logs evaluate(BasicModule<T>& model, const Losses& loss, const Data& data, std::size_t batch_size,
              const std::vector<Metric>& metrics, const std::vector<std::vector<Metric>>& output_metrics) {
  return evaluate_samples(model, loss, detail::Samples<T>(data, "evaluate", "evaluation"), batch_size, metrics,
                          output_metrics, "evaluate", DistributedFit());
}

template History fit(BasicModule<float>&, const Losses&, optim::Optimizer&, const Data&, const FitOptions&);
template History fit(BasicModule<double>&, const Losses&, optim::Optimizer&, const Data&, const FitOptions&);
template Logs evaluate(BasicModule<float>&, const Losses&, const Data&, std::size_t, const std::vector<Metric>&,
                       const std::vector<std::vector<Metric>>&);
template Logs evaluate(BasicModule<double>&, const Losses&, const Data&, std::size_t, const std::vector<Metric>&,
                       const std::vector<std::vector<Metric>>&);

}  // namespace tg::nn
