#pragma once
// Keras-style training: fit() runs epochs of mini-batch steps (forward, loss, backward,
// optimizer step) and returns the per-epoch history; evaluate() measures without training.
//
//   auto history = tg::nn::fit(model, tg::nn::CrossEntropyLoss{}, optimizer, {x_train, labels},
//                              {.epochs = 10, .batch_size = 64, .validation_split = 0.1,
//                               .metrics = {"accuracy"}});
//
// A model of either element type; a model with several inputs or outputs takes a column per
// input and per output ({{x1, x2}, {y, labels}}) and a loss for all outputs or one per output.
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "nn/module.hpp"
#include "nn/train/callbacks.hpp"
#include "nn/train/fit_data.hpp"
#include "nn/train/history.hpp"
#include "nn/train/losses.hpp"
#include "nn/train/metrics.hpp"
#include "optim/lr_scheduler.hpp"
#include "optim/optimizer.hpp"

namespace tg::nn {

enum class Verbosity {
  Silent,
  Epochs,  // one line per epoch
  Auto,    // and a progress bar with ETA while standard output is a terminal
};

struct FitOptions {
  std::size_t epochs = 1;
  std::size_t batch_size = 32;
  bool shuffle = true;
  std::uint64_t seed = 0;  // the order of epoch e depends only on (seed, e): resuming repeats it
  std::optional<Data> validation_data;
  double validation_split = 0.0;  // else hold out this last fraction of the training data, as Keras does
  std::vector<Metric> metrics;    // on every output: "accuracy", "top5_accuracy", "mae", Metric(name, fn)
  std::vector<std::vector<Metric>> output_metrics;  // output k's own, for a model with several outputs
  std::vector<std::shared_ptr<CallbackBase>> callbacks;
  std::size_t initial_epoch = 0;  // the first epoch to run, when resuming
  Verbosity verbosity = Verbosity::Auto;
  std::ostream* out = &std::cout;
  // Stepped after every epoch, or after every optimizer step; checkpoints keep its state.
  optim::LRScheduler* scheduler = nullptr;
  bool schedule_per_batch = false;
  // Micro-batches of batch_size whose gradients add up to one optimizer step, each weighted by
  // its share of the step's samples: the step of one batch of accumulation_steps * batch_size
  // samples for a loss that is a mean over samples.
  std::size_t accumulation_steps = 1;
  // Data-parallel across the processes of an MPI job (a tg::dist::Context on each): every batch
  // of the epoch's shuffled order is shared out between the ranks, the gradients averaged, the
  // logs summed over all ranks; only rank 0 prints and writes checkpoints (float models).
  bool distributed = false;
};

// T = float or double, the model's element type. A model in eval mode is trained in training
// mode; one in training mode keeps each module's own mode; every mode is restored afterwards.
// Log keys: "loss" and each metric's name; with
// several outputs also "out<k>_loss" and "out<k>_<metric>"; "val_" before each for validation
// data; "seconds".
template <class T>
History fit(BasicModule<T>& model, const Losses& loss, optim::Optimizer& optimizer, const Data& train,
            const FitOptions& options = {});

// "loss" and each metric over `data`, in eval mode and without recording; every module's mode
// is restored.
template <class T>
Logs evaluate(BasicModule<T>& model, const Losses& loss, const Data& data, std::size_t batch_size = 256,
              const std::vector<Metric>& metrics = {}, const std::vector<std::vector<Metric>>& output_metrics = {});

}  // namespace tg::nn
