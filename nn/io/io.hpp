#pragma once
// Files of trained models: safetensors weights and whole training checkpoints.
#include "nn/io/checkpoint.hpp"
#include "nn/io/safetensors.hpp"
#include "nn/io/weights.hpp"
