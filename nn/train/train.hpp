#pragma once
// The training loop and what it reports: fit, evaluate, history, callbacks, metrics; PyBrain's
// BackpropTrainer.
#include "nn/train/backprop_trainer.hpp"
#include "nn/train/callbacks.hpp"
#include "nn/train/confusion_matrix.hpp"
#include "nn/train/fit.hpp"
#include "nn/train/history.hpp"
#include "nn/train/metrics.hpp"
