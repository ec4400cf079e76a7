#pragma once
// BasicModule<T>: the base of every layer and model, T = float or double as for BasicTensor
// (Module is the float one). It owns named, ordered parameters, buffers and submodules, so that
// optimizers, checkpoints and summaries can walk any model:
//
//   struct Net : tg::nn::Module {
//     std::shared_ptr<tg::nn::Linear> fc1 = register_module("fc1", tg::nn::Linear(784, 100));
//     std::shared_ptr<tg::nn::Linear> fc2 = register_module("fc2", tg::nn::Linear(100, 10));
//     Tensor forward(const Tensor& x) override { return (*fc2)(tg::sigmoid((*fc1)(x))); }
//   };
//
// The same model in double, e.g. to gradcheck it as a whole, derives from BasicModule<double>
// and builds BasicLinear<double> layers; inside a module, Tensor is the module's tensor type.
//
// Parameters are tensor handles: the module, its parameters() and an optimizer all hold the same
// ones, so an update through mutable_value() is seen everywhere. Gradients come from the tape.
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.hpp"
#include "nn/state_dict.hpp"

namespace tg::nn {

template <class T>
class BasicModule {
 public:
  using value_type = T;
  using Tensor = BasicTensor<T>;
  using Tensors = std::vector<Tensor>;
  using NamedTensor = std::pair<std::string, Tensor>;
  using NamedModule = std::pair<std::string, std::shared_ptr<BasicModule>>;
  using StateDict = BasicStateDict<T>;

  BasicModule() = default;
  virtual ~BasicModule() = default;
  // Moving hands the parameter handles over; a copy would silently share them.
  BasicModule(BasicModule&&) = default;
  BasicModule& operator=(BasicModule&&) = default;
  BasicModule(const BasicModule&) = delete;
  BasicModule& operator=(const BasicModule&) = delete;

  // One input, one output: what most layers implement.
  virtual Tensor forward(const Tensor& input);
  // Several inputs or outputs: a model taking two tensors, or returning two, implements this
  // one instead. Each defaults to the other, so a module implements either.
  virtual Tensors forward_many(const Tensors& inputs);
  Tensor operator()(const Tensor& input);
  Tensors operator()(const Tensors& inputs);
  // The type: "Linear"; by default the class's own name ("Net" for struct Net).
  virtual std::string name() const;
  virtual std::string describe() const { return name(); }  // with its settings: "Linear(784 -> 100)"

  // The outputs for `x`, run in batches along axis 0 in eval mode without recording; every
  // module's training mode is restored afterwards.
  Tensor predict(const Tensor& x, std::size_t batch_size = 256);
  Tensors predict(const Tensors& inputs, std::size_t batch_size = 256);  // each input (N, ...)

  // State that is neither parameter nor buffer but must survive a checkpoint, as text (Dropout's
  // mask generator); empty when there is none. set_extra_state takes what extra_state() gave
  // and throws, changing nothing, on anything else.
  virtual std::string extra_state() const { return {}; }
  virtual void set_extra_state(const std::string& state);

  // Names are unique within a module and contain no '.', which joins nested names.
  // A parameter must be a leaf; its requires_grad is set to `requires_grad`.
  //
  // A parameter held in a field of the module, registered as `&Linear::weight`: parameters(),
  // optimizers and checkpoints read the field, so assigning it another module's tensor
  // (`decoder->weight = encoder->weight`) ties the two, as in PyTorch.
  template <class M>
    requires std::derived_from<M, BasicModule>
  void register_parameter(std::string name, Tensor M::*field, bool requires_grad = true) {
    add_parameter(std::move(name), static_cast<Tensor BasicModule::*>(field), requires_grad);
  }
  // A parameter the module keeps itself; the returned handle is a copy, so assigning a field
  // that holds it later is not seen: register the field instead to tie it.
  Tensor register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  // State that is saved and loaded but not trained (e.g. running statistics), in a field or kept.
  template <class M>
    requires std::derived_from<M, BasicModule>
  void register_buffer(std::string name, Tensor M::*field) {
    add_buffer(std::move(name), static_cast<Tensor BasicModule::*>(field));
  }
  Tensor register_buffer(std::string name, Tensor tensor);
  // A submodule of the same element type.
  template <class M>
    requires std::derived_from<M, BasicModule>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> module) {
    add_child(std::move(name), module);
    return module;
  }
  template <class M>
    requires std::derived_from<M, BasicModule>
  std::shared_ptr<M> register_module(std::string name, M module) {
    return register_module(std::move(name), std::make_shared<M>(std::move(module)));
  }

  // Own entries first, in registration order, then each submodule's under "child.". A tensor
  // held twice (tied weights, a module registered twice) is listed once, under its first name.
  std::vector<NamedTensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> parameters(bool recurse = true) const;
  std::vector<NamedTensor> named_buffers(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  std::vector<NamedModule> named_children() const { return children_; }
  std::vector<std::shared_ptr<BasicModule>> children() const;
  // Every module below this one (not this one), depth first, with dotted names: "block.0"; a
  // module registered twice is listed once.
  std::vector<NamedModule> named_modules() const;
  // The registered parameter or buffer with this dotted name ("fc1.weight"), to read or to
  // assign another tensor to (which ties them); throws naming an unknown one.
  Tensor& tensor(const std::string& name);

  // Training mode (the default) or evaluation mode, for this module and all below it.
  void train(bool training = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }
  // Sets requires_grad on every parameter: set_requires_grad(false) freezes the module (an
  // optimizer skips parameters that get no gradient), true makes it trainable again.
  void set_requires_grad(bool requires_grad);

  // Makes every parameter's gradient undefined, as Optimizer::zero_grad and PyTorch 2 do;
  // zero_grad(false) fills the gradients with zeros instead.
  void zero_grad(bool set_to_none = true);

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
  std::string summary(std::initializer_list<Shape> sample_shapes);  // one per input: summary({{4}, {3}})

 private:
  // A registered parameter or buffer: a field of the module, or a handle the module keeps.
  struct Slot {
    std::string name;
    Tensor kept;
    Tensor BasicModule::*field = nullptr;
  };
  const Tensor& tensor_in(const Slot& slot) const;
  Tensor& tensor_in(Slot& slot);
  std::string probed_summary(const std::vector<Shape>& sample_shapes);
  void check_new_name(const std::string& name, const char* what) const;
  void check_parameter(const std::string& name, Tensor& tensor, bool requires_grad) const;
  void add_parameter(std::string name, Tensor BasicModule::*field, bool requires_grad);
  void add_buffer(std::string name, Tensor BasicModule::*field);
  void add_child(std::string name, std::shared_ptr<BasicModule> module);
  // (module, dotted prefix) for this module and every module below it, depth first, each once.
  std::vector<std::pair<const BasicModule*, std::string>> walk() const;
  // (dotted name, tensor) of the slots of every module, each tensor once.
  std::vector<NamedTensor> named_tensors(std::vector<Slot> BasicModule::*slots, bool recurse) const;

  bool training_ = true;
  std::vector<Slot> parameters_;
  std::vector<Slot> buffers_;
  std::vector<NamedModule> children_;
};

using Module = BasicModule<float>;

// Remembers the training mode of a module and of every module below it, and puts each one's
// own mode back when it goes out of scope (train() alone would give the children the parent's).
template <class T>
class TrainingModeGuard {
 public:
  explicit TrainingModeGuard(BasicModule<T>& model);
  ~TrainingModeGuard();
  TrainingModeGuard(const TrainingModeGuard&) = delete;
  TrainingModeGuard& operator=(const TrainingModeGuard&) = delete;

 private:
  std::vector<std::pair<BasicModule<T>*, bool>> modes_;  // parents before children
};

namespace detail {
// While set, operator() records each module's output shapes here: the probe of summary().
std::map<const void*, std::vector<Shape>>*& output_shape_probe();
}  // namespace detail

extern template class BasicModule<float>;
extern template class BasicModule<double>;
extern template class TrainingModeGuard<float>;
extern template class TrainingModeGuard<double>;

}  // namespace tg::nn
