#pragma once
// Layers, losses and initializers: Module and what is built on it.
#include "nn/activation.hpp"
#include "nn/default_generator.hpp"
#include "nn/dropout.hpp"
#include "nn/flatten.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "nn/loss.hpp"
#include "nn/module.hpp"
#include "nn/sequential.hpp"
#include "nn/state_dict.hpp"
