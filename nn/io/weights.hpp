#pragma once
// A model's weights alone in the safetensors format, under their state_dict names, so that
// Python's safetensors and PyTorch read them. Saves are atomic, and a load that fails changes
// nothing.
#include <string>

#include "nn/module.hpp"

namespace tg::nn {

// One tensor per parameter and buffer, named as in state_dict() ("0.weight"): F32 for a float
// model, F64 for a double one (T = float or double).
template <class T>
void save_weights(const std::string& path, const BasicModule<T>& model);
// From a save_weights or save_checkpoint file, or any safetensors file with the same names.
// Missing or unexpected names, other shapes or another dtype than the model's are errors
// naming the file, and leave the model unchanged.
template <class T>
void load_weights(const std::string& path, BasicModule<T>& model);

}  // namespace tg::nn
