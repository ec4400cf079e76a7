// How a module is called: forward and forward_many in terms of each other, operator() (which
// feeds summary()'s probe), predict, and the guard that puts training modes back.
#include <set>

#include "autograd/grad_mode.hpp"
#include "nn/module.hpp"
#include "ops/shape.hpp"

namespace tg::nn {

namespace detail {
std::map<const void*, std::vector<Shape>>*& output_shape_probe() {
  thread_local std::map<const void*, std::vector<Shape>>* probe = nullptr;
  return probe;
}
}  // namespace detail

namespace {

// The modules whose default forward is running: when the default forward_many calls forward
// again on one of them, the module implements neither.
thread_local std::set<const void*> in_default_forward;

}  // namespace

template <class T>
BasicTensor<T> BasicModule<T>::forward(const Tensor& input) {
  if (!in_default_forward.insert(this).second)
    throw Error(describe() + ": the module implements neither forward(x) nor forward_many(inputs)");
  struct Leave {
    const void* module;
    ~Leave() { in_default_forward.erase(module); }
  } leave{this};
  Tensors outputs = forward_many({input});
  if (outputs.size() != 1)
    throw Error(describe() + ": forward(x) needs one output, but forward_many gave " + std::to_string(outputs.size()) +
                " (call it with a list of inputs)");
  return std::move(outputs[0]);
}

template <class T>
auto BasicModule<T>::forward_many(const Tensors& inputs) -> Tensors {
  if (inputs.size() != 1)
    throw Error(describe() + ": takes one input, got " + std::to_string(inputs.size()) +
                " (a module with several inputs implements forward_many)");
  return {forward(inputs[0])};
}

template <class T>
BasicTensor<T> BasicModule<T>::operator()(const Tensor& input) {
  Tensor output = forward(input);
  if (auto* probe = detail::output_shape_probe()) (*probe)[this] = {output.shape()};
  return output;
}

template <class T>
auto BasicModule<T>::operator()(const Tensors& inputs) -> Tensors {
  Tensors outputs = forward_many(inputs);
  if (auto* probe = detail::output_shape_probe()) {
    std::vector<Shape> shapes;
    for (const auto& output : outputs) shapes.push_back(output.shape());
    (*probe)[this] = std::move(shapes);
  }
  return outputs;
}

template <class T>
BasicTensor<T> BasicModule<T>::predict(const Tensor& x, std::size_t batch_size) {
  if (x.dim() == 0) throw Error("predict (" + describe() + "): the input is a scalar; it needs a batch axis");
  Tensors outputs = predict(Tensors{x}, batch_size);
  if (outputs.size() != 1)
    throw Error("predict (" + describe() + "): the model gives " + std::to_string(outputs.size()) +
                " outputs (call predict with a list of inputs)");
  return std::move(outputs[0]);
}

template <class T>
auto BasicModule<T>::predict(const Tensors& inputs, std::size_t batch_size) -> Tensors {
  if (batch_size == 0) throw Error("predict (" + describe() + "): batch_size must be positive");
  if (inputs.empty()) throw Error("predict (" + describe() + "): no inputs");
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    if (inputs[k].dim() == 0)
      throw Error("predict (" + describe() + "): input " + std::to_string(k) + " is a scalar; it needs a batch axis");
    if (inputs[k].shape()[0] != inputs[0].shape()[0])
      throw Error("predict (" + describe() + "): input " + std::to_string(k) + " has " +
                  std::to_string(inputs[k].shape()[0]) + " samples, input 0 has " +
                  std::to_string(inputs[0].shape()[0]));
  }
  TrainingModeGuard<T> restore(*this);
  eval();
  NoGradGuard no_grad;
  const std::size_t n = inputs[0].shape()[0];
  if (n <= batch_size) {
    Tensors outputs = (*this)(inputs);
    for (auto& output : outputs) output = output.detach();
    return outputs;
  }
  std::vector<Tensors> pieces;  // per output, per batch
  for (std::size_t begin = 0; begin < n; begin += batch_size) {
    const auto end = static_cast<std::ptrdiff_t>(std::min(begin + batch_size, n));
    Tensors batch;
    for (const auto& input : inputs) batch.push_back(slice(input, {{static_cast<std::ptrdiff_t>(begin), end}}));
    Tensors outputs = (*this)(batch);
    pieces.resize(outputs.size());
    for (std::size_t k = 0; k < outputs.size(); ++k) pieces[k].push_back(std::move(outputs[k]));
  }
  Tensors outputs;
  for (const auto& piece : pieces) outputs.push_back(concat(piece, 0));
  return outputs;
}

template <class T>
TrainingModeGuard<T>::TrainingModeGuard(BasicModule<T>& model) {
  modes_.emplace_back(&model, model.is_training());
  for (const auto& [name, module] : model.named_modules()) modes_.emplace_back(module.get(), module->is_training());
}

template <class T>
TrainingModeGuard<T>::~TrainingModeGuard() {
  // Parents before children: a parent's train() reaches down, then each child sets its own.
  for (const auto& [module, training] : modes_) module->train(training);
}

template BasicTensor<float> BasicModule<float>::forward(const Tensor&);
template BasicTensor<double> BasicModule<double>::forward(const Tensor&);
template auto BasicModule<float>::forward_many(const Tensors&) -> Tensors;
template auto BasicModule<double>::forward_many(const Tensors&) -> Tensors;
template BasicTensor<float> BasicModule<float>::operator()(const Tensor&);
template BasicTensor<double> BasicModule<double>::operator()(const Tensor&);
template auto BasicModule<float>::operator()(const Tensors&) -> Tensors;
template auto BasicModule<double>::operator()(const Tensors&) -> Tensors;
template BasicTensor<float> BasicModule<float>::predict(const Tensor&, std::size_t);
template BasicTensor<double> BasicModule<double>::predict(const Tensor&, std::size_t);
template auto BasicModule<float>::predict(const Tensors&, std::size_t) -> Tensors;
template auto BasicModule<double>::predict(const Tensors&, std::size_t) -> Tensors;
template class TrainingModeGuard<float>;
template class TrainingModeGuard<double>;

}  // namespace tg::nn
