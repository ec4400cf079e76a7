#pragma once
// The training loop and what it reports: fit, evaluate, history, callbacks, metrics.
#include "nn/callbacks.hpp"
#include "nn/fit.hpp"
#include "nn/history.hpp"
#include "nn/metrics.hpp"
