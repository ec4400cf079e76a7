#pragma once
// Files of trained models: safetensors weights, whole training checkpoints, and whole models
// (architecture and weights) that load without the code that built them.
#include "nn/io/checkpoint.hpp"
#include "nn/io/module_registry.hpp"
#include "nn/io/safetensors.hpp"
#include "nn/io/saved_model.hpp"
#include "nn/io/weights.hpp"
