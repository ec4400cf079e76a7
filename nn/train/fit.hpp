#pragma once
// Keras-style training: fit() runs epochs of mini-batch steps (forward, loss, backward,
// optimizer step) and returns the per-epoch history; evaluate() measures without training.
//
//   auto history = tg::nn::fit(model, loss, optimizer, {x_train, y_train},
//                              {.epochs = 10, .batch_size = 64, .validation_split = 0.1,
//                               .metrics = {"accuracy"}});
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nn/data/data_loader.hpp"
#include "nn/module.hpp"
#include "nn/train/callbacks.hpp"
#include "nn/train/history.hpp"
#include "optim/optimizer.hpp"

namespace tg::nn {

// A labelled set held in memory: inputs (N, ...) and N target rows or N labels.
template <class Targets>
struct Data {
  xt::xarray<float> inputs;
  Targets targets;
};

// The loss of a batch's predictions; fit reports the batch-size-weighted mean over an epoch.
template <class Targets>
using LossFunction = std::function<Tensor(const Tensor& prediction, const typename BatchTargets<Targets>::type&)>;

enum class Verbosity {
  Silent,
  Epochs,  // one line per epoch
  Auto,    // and a progress bar with ETA while standard output is a terminal
};

template <class Targets>
struct FitOptions {
  std::size_t epochs = 1;
  std::size_t batch_size = 32;
  bool shuffle = true;
  std::uint64_t seed = 0;  // the order of epoch e depends only on (seed, e): resuming repeats it
  std::optional<Data<Targets>> validation_data;
  double validation_split = 0.0;  // else hold out this last fraction of the training data, as Keras does
  std::vector<std::string> metrics;  // "accuracy"
  std::vector<std::shared_ptr<Callback>> callbacks;
  std::size_t initial_epoch = 0;  // the first epoch to run, when resuming
  Verbosity verbosity = Verbosity::Auto;
  std::ostream* out = &std::cout;
};

// Targets are target rows (xt::xarray<float>) or class labels (tg::Labels).
using Rows = xt::xarray<float>;

History fit(Module& model, const LossFunction<Rows>& loss, optim::Optimizer& optimizer, const Data<Rows>& train,
            const FitOptions<Rows>& options = {});
History fit(Module& model, const LossFunction<Labels>& loss, optim::Optimizer& optimizer, const Data<Labels>& train,
            const FitOptions<Labels>& options = {});

// "loss" and each metric over `data`, in eval mode and without recording; the model's mode is restored.
Logs evaluate(Module& model, const LossFunction<Rows>& loss, const Data<Rows>& data, std::size_t batch_size = 256,
              const std::vector<std::string>& metrics = {});
Logs evaluate(Module& model, const LossFunction<Labels>& loss, const Data<Labels>& data, std::size_t batch_size = 256,
              const std::vector<std::string>& metrics = {});

}  // namespace tg::nn
