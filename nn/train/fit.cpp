#include "nn/train/fit.hpp"

#include <cmath>
#include <cstdio>
#include <xtensor/xview.hpp>

#include "autograd/grad_mode.hpp"
#include "nn/train/metrics.hpp"
#include "nn/train/progress.hpp"

namespace tg::nn {
namespace {

std::size_t count(const xt::xarray<float>& targets) { return targets.dimension() == 0 ? 0 : targets.shape()[0]; }
std::size_t count(const Labels& labels) { return labels.size(); }

template <class Targets>
void check_data(const Data<Targets>& data, const char* what) {
  const std::size_t n = data.inputs.dimension() == 0 ? 0 : data.inputs.shape()[0];
  if (n != count(data.targets))
    throw Error(std::string("fit: the ") + what + " data has " + std::to_string(n) + " inputs but " +
                std::to_string(count(data.targets)) + " targets");
}

// Rows [begin, end) of a data set.
xt::xarray<float> rows(const xt::xarray<float>& a, std::size_t begin, std::size_t end) {
  return xt::view(a, xt::range(begin, end));
}
Labels rows(const Labels& a, std::size_t begin, std::size_t end) { return Labels(a.begin() + begin, a.begin() + end); }

template <class Targets>
Data<Targets> rows(const Data<Targets>& d, std::size_t begin, std::size_t end) {
  return {rows(d.inputs, begin, end), rows(d.targets, begin, end)};
}

std::string format_logs(const Logs& logs) {
  std::string line;
  char buf[64];
  for (const auto& [key, value] : logs.entries()) {
    if (key == "seconds") continue;
    std::snprintf(buf, sizeof buf, "%s%s: %.4f", line.empty() ? "" : " - ", key.c_str(), value);
    line += buf;
  }
  return line;
}

// Sums of a pass over batches, turned into logs at the end.
struct Tally {
  double loss_sum = 0;
  std::size_t samples = 0, correct = 0;

  template <class BatchTargets>
  void add(const Tensor& prediction, const Tensor& loss, const BatchTargets& targets, std::size_t batch, bool accuracy) {
    const double value = loss.item();
    if (!std::isfinite(value))
      throw Error("fit: the loss is " + std::to_string(value) + " (lower the learning rate or check the data)");
    loss_sum += value * static_cast<double>(batch);
    samples += batch;
    if (accuracy) correct += correct_predictions(prediction, targets);
  }
  void write(Logs& logs, const std::string& prefix, bool accuracy) const {
    const double n = static_cast<double>(samples);
    logs.set(prefix + "loss", samples ? loss_sum / n : std::nan(""));
    if (accuracy) logs.set(prefix + "accuracy", samples ? static_cast<double>(correct) / n : std::nan(""));
  }
};

bool wants_accuracy(const std::vector<std::string>& metrics) {
  for (const auto& m : metrics) check_metric(m);
  return !metrics.empty();
}

// Restores a module's training mode on scope exit.
struct ModeRestorer {
  Module& model;
  bool training = model.is_training();
  ~ModeRestorer() { model.train(training); }
};

template <class Targets>
Logs evaluate_batches(Module& model, const LossFunction<Targets>& loss, const Data<Targets>& data, std::size_t batch_size,
              const std::vector<std::string>& metrics) {
  check_data(data, "evaluation");
  if (batch_size == 0) throw Error("evaluate: batch_size must be positive");
  const bool accuracy = wants_accuracy(metrics);
  ModeRestorer restore{model};
  model.eval();
  NoGradGuard no_grad;
  Tally tally;
  DataLoader<Targets> loader(data.inputs, data.targets, {.batch_size = batch_size});
  for (const auto& batch : loader.epoch(0)) {
    Tensor prediction = model(batch.inputs);
    tally.add(prediction, loss(prediction, batch.targets), batch.targets, count(batch.inputs.value()), accuracy);
  }
  Logs logs;
  tally.write(logs, "", accuracy);
  return logs;
}

template <class Targets>
History fit_epochs(Module& model, const LossFunction<Targets>& loss, optim::Optimizer& optimizer, const Data<Targets>& train,
            const FitOptions<Targets>& options) {
  check_data(train, "training");
  if (options.batch_size == 0) throw Error("fit: batch_size must be positive");
  if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
    throw Error("fit: validation_split must be in [0, 1), got " + std::to_string(options.validation_split));
  const bool accuracy = wants_accuracy(options.metrics);

  std::optional<Data<Targets>> validation = options.validation_data;
  Data<Targets> fitted = train;
  if (!validation && options.validation_split > 0) {
    const std::size_t n = count(train.targets);
    const auto held = static_cast<std::size_t>(static_cast<double>(n) * options.validation_split);
    validation = rows(train, n - held, n);
    fitted = rows(train, 0, n - held);
  }
  if (validation) check_data(*validation, "validation");
  if (count(fitted.targets) == 0) throw Error("fit: no training samples");

  DataLoader<Targets> loader(fitted.inputs, fitted.targets,
                             {.batch_size = options.batch_size, .shuffle = options.shuffle, .seed = options.seed});
  std::ostream& out = *options.out;
  const bool show_bar = options.verbosity == Verbosity::Auto && is_terminal(out);
  TrainState state{model, optimizer};
  History history;
  for (auto& cb : options.callbacks) cb->on_train_begin(state);
  for (std::size_t epoch = options.initial_epoch; epoch < options.epochs && !state.stop_training; ++epoch) {
    state.epoch = epoch;
    model.train();
    const auto batches = loader.epoch(epoch);
    ProgressBar bar(out, batches.size(), show_bar);
    Tally tally;
    std::size_t done = 0;
    for (const auto& batch : batches) {
      Tensor prediction = model(batch.inputs);
      Tensor batch_loss = loss(prediction, batch.targets);
      optimizer.zero_grad();
      batch_loss.backward();
      optimizer.step();
      tally.add(prediction, batch_loss, batch.targets, count(batch.inputs.value()), accuracy);
      char status[48];
      std::snprintf(status, sizeof status, "loss: %.4f", tally.loss_sum / static_cast<double>(tally.samples));
      bar.update(++done, status);
    }
    Logs logs;
    tally.write(logs, "", accuracy);
    if (validation) {
      const Logs v = evaluate_batches(model, loss, *validation, std::max<std::size_t>(options.batch_size, 256), options.metrics);
      for (const auto& [key, value] : v.entries()) logs.set("val_" + key, value);
    }
    const double seconds = bar.elapsed_seconds();
    logs.set("seconds", seconds);
    history.append(logs);
    if (options.verbosity != Verbosity::Silent) {
      char head[64];
      std::snprintf(head, sizeof head, "Epoch %zu/%zu - %.1fs - ", epoch + 1, options.epochs, seconds);
      bar.finish(head + format_logs(logs));
    }
    for (auto& cb : options.callbacks) cb->on_epoch_end(state, logs);
  }
  for (auto& cb : options.callbacks) cb->on_train_end(state);
  return history;
}

}  // namespace

History fit(Module& model, const LossFunction<Rows>& loss, optim::Optimizer& optimizer, const Data<Rows>& train,
            const FitOptions<Rows>& options) {
  return fit_epochs(model, loss, optimizer, train, options);
}
History fit(Module& model, const LossFunction<Labels>& loss, optim::Optimizer& optimizer, const Data<Labels>& train,
            const FitOptions<Labels>& options) {
  return fit_epochs(model, loss, optimizer, train, options);
}
Logs evaluate(Module& model, const LossFunction<Rows>& loss, const Data<Rows>& data, std::size_t batch_size,
              const std::vector<std::string>& metrics) {
  return evaluate_batches(model, loss, data, batch_size, metrics);
}
Logs evaluate(Module& model, const LossFunction<Labels>& loss, const Data<Labels>& data, std::size_t batch_size,
              const std::vector<std::string>& metrics) {
  return evaluate_batches(model, loss, data, batch_size, metrics);
}

}  // namespace tg::nn
