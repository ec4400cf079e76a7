#pragma once
// The training loop and what it reports: fit, evaluate, their data, losses and metrics,
// history, callbacks; PyBrain's BackpropTrainer.
#include "nn/train/backprop_trainer.hpp"
#include "nn/train/callbacks.hpp"
#include "nn/train/confusion_matrix.hpp"
#include "nn/train/fit.hpp"
#include "nn/train/fit_data.hpp"
#include "nn/train/history.hpp"
#include "nn/train/losses.hpp"
#include "nn/train/metrics.hpp"
