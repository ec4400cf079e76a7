#pragma once
// Whole-model files, as Keras's model.save / load_model: the architecture and the weights in
// one safetensors file, so the model comes back without the code that built it.
//
//   tg::nn::save_model("mnist.safetensors", net);
//   std::shared_ptr<tg::nn::Module> model = tg::nn::load_model("mnist.safetensors");
//   auto probabilities = model->predict(x);
//
// The tensors are the model's state_dict(); "__metadata__" holds the format and its version,
// the architecture as JSON (each module's type, the settings its factory gives, its training
// mode, extra state and submodules) and the model's summary. Any model made of registered module
// types can be saved and loaded: the library's layers, Sequential, build_network's networks, and
// a user's own types once registered (nn/io/module_registry.hpp).
#include <filesystem>
#include <memory>

#include "nn/io/module_registry.hpp"
#include "nn/module.hpp"

namespace tg::nn {

// Written atomically: a failed save leaves an existing file as it was. A module whose type has
// no factory is a tg::Error naming it, and nothing is written. T = float (tensors F32) or
// double (F64).
template <class T>
void save_model(const std::filesystem::path& file, const BasicModule<T>& model);

// The model with its weights, training modes and extra states as saved; load_model<double> for
// a double model. A missing or damaged file, a file of another kind (weights, checkpoint) or
// element type, a newer format version, or a module type without a factory is a tg::Error
// naming the file and the problem.
template <class T = float>
std::shared_ptr<BasicModule<T>> load_model(const std::filesystem::path& file);

}  // namespace tg::nn
