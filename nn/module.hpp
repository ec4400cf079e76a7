#pragma once
// Module: the base of every layer and model. It owns named, ordered parameters, buffers and
// submodules, so that optimizers, checkpoints and summaries can walk any model:
//
//   struct Net : tg::nn::Module {
//     std::shared_ptr<tg::nn::Linear> fc1 = register_module("fc1", tg::nn::Linear(784, 100));
//     std::shared_ptr<tg::nn::Linear> fc2 = register_module("fc2", tg::nn::Linear(100, 10));
//     tg::Tensor forward(const tg::Tensor& x) override { return (*fc2)(tg::sigmoid((*fc1)(x))); }
//   };
//
// Parameters are tensor handles: the module, its parameters() and an optimizer all hold the same
// ones, so an update through mutable_value() is seen everywhere. Gradients come from the tape.
#include <concepts>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/state_dict.hpp"

namespace tg::nn {

class Module;

template <class M>
concept ModuleType = std::derived_from<M, Module>;

class Module {
 public:
  using NamedTensor = std::pair<std::string, Tensor>;
  using NamedModule = std::pair<std::string, std::shared_ptr<Module>>;

  Module() = default;
  virtual ~Module() = default;
  // Moving hands the parameter handles over; a copy would silently share them.
  Module(Module&&) = default;
  Module& operator=(Module&&) = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  virtual Tensor forward(const Tensor& input) = 0;
  Tensor operator()(const Tensor& input);
  virtual std::string name() const { return "Module"; }  // the type: "Linear"
  virtual std::string describe() const { return name(); }  // with its settings: "Linear(784 -> 100)"

  // The outputs for `x`, run in batches along axis 0 in eval mode without recording; the
  // training mode is restored afterwards.
  Tensor predict(const Tensor& x, std::size_t batch_size = 256);

  // State that is neither parameter nor buffer but must survive a checkpoint, as text (Dropout's
  // mask generator); empty when there is none. set_extra_state takes what extra_state() gave
  // and throws, changing nothing, on anything else.
  virtual std::string extra_state() const { return {}; }
  virtual void set_extra_state(const std::string& state);

  // Names are unique within a module and contain no '.', which joins nested names.
  // A parameter must be a leaf; its requires_grad is set to `requires_grad`.
  Tensor register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  // State that is saved and loaded but not trained (e.g. running statistics).
  Tensor register_buffer(std::string name, Tensor tensor);
  template <ModuleType M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    add_child(std::move(name), module);
    return module;
  }
  template <ModuleType M>
  std::shared_ptr<M> register_module(std::string name, M module) {
    return register_module(std::move(name), std::make_shared<M>(std::move(module)));
  }

  // Own entries first, in registration order, then each submodule's under "child.".
  std::vector<NamedTensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> parameters(bool recurse = true) const;
  std::vector<NamedTensor> named_buffers(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  std::vector<NamedModule> named_children() const { return children_; }
  std::vector<std::shared_ptr<Module>> children() const;
  // Every module below this one (not this one), depth first, with dotted names: "block.0".
  std::vector<NamedModule> named_modules() const;

  // Training mode (the default) or evaluation mode, for this module and all below it.
  void train(bool training = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  void zero_grad();

  // Copies of every parameter and buffer, by dotted name, in named_parameters() order per module.
  StateDict state_dict() const;
  // Copies `state` into the parameters and buffers. Strict: missing and unexpected keys are
  // errors; otherwise they are skipped. A shape mismatch is always an error. On any error the
  // module is left unchanged.
  void load_state_dict(const StateDict& state, bool strict = true);

  std::size_t parameter_count() const;  // elements of all parameters
  std::size_t trainable_parameter_count() const;  // of those that require grad

  // A Keras-like table: one row per submodule with its type, its description and its parameter
  // count, then the totals. Given the shape of one sample, a probe batch of one is run in eval
  // mode and each row shows its output shape instead, the batch axis printed as None.
  std::string summary() const;
  std::string summary(const Shape& sample_shape);

 private:
  void check_new_name(const std::string& name, const char* what) const;
  void add_child(std::string name, std::shared_ptr<Module> module);
  // (module, dotted prefix) for this module and every module below it, depth first.
  std::vector<std::pair<const Module*, std::string>> walk() const;

  bool training_ = true;
  std::vector<NamedTensor> parameters_;
  std::vector<NamedTensor> buffers_;
  std::vector<NamedModule> children_;
};

namespace detail {
// While set, operator() records each module's output shape here: the probe of summary().
std::map<const Module*, Shape>*& output_shape_probe();
}  // namespace detail

}  // namespace tg::nn
