#include "nn/network_layer.hpp"

#include "autograd/factory.hpp"
#include "nn/activation.hpp"
#include "ops/activation.hpp"
#include "ops/arithmetic.hpp"
#include "ops/shape.hpp"
#include "ops/softmax.hpp"

namespace tg::nn {
namespace {

constexpr LayerKind all_kinds[] = {LayerKind::Linear,   LayerKind::Sigmoid,  LayerKind::Tanh,
                                   LayerKind::Softmax,  LayerKind::Gaussian, LayerKind::LSTM};

}  // namespace

std::string layer_kind_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::Linear: return "Linear";
    case LayerKind::Sigmoid: return "Sigmoid";
    case LayerKind::Tanh: return "Tanh";
    case LayerKind::Softmax: return "Softmax";
    case LayerKind::Gaussian: return "Gaussian";
    case LayerKind::LSTM: return "LSTM";
  }
  throw Error("layer_kind_name: not a LayerKind: " + std::to_string(static_cast<int>(kind)));
}

LayerKind layer_kind_from_name(const std::string& name) {
  for (const LayerKind kind : all_kinds)
    if (layer_kind_name(kind) == name) return kind;
  throw Error("layer_kind_from_name: no layer kind '" + name +
              "' (Linear, Sigmoid, Tanh, Softmax, Gaussian and LSTM are)");
}

NetworkLayer::NetworkLayer(LayerKind kind, std::size_t size, std::string layer_name)
    : kind_(kind), size_(size), layer_name_(std::move(layer_name)) {
  if (size == 0) throw Error("NetworkLayer '" + layer_name_ + "': a layer needs at least one unit");
}

void NetworkLayer::check_input(const Tensor& x) const {
  if (x.dim() == 0 || x.shape().back() != input_size())
    throw Error(describe() + ": input of shape " + shape_str(x.shape()) + " does not have " +
                std::to_string(input_size()) + " units on its last axis");
}

Tensor NetworkLayer::forward(const Tensor& x) {
  check_input(x);
  switch (kind_) {
    case LayerKind::Sigmoid: return sigmoid(x);
    case LayerKind::Tanh: return tanh(x);
    case LayerKind::Softmax: return softmax(x, -1);
    case LayerKind::Gaussian: return gaussian(x);
    case LayerKind::LSTM: return lstm_step(x, {}).output;
    case LayerKind::Linear: return x;
  }
  return x;
}

NetworkLayer::LSTMStep NetworkLayer::lstm_step(const Tensor& x, const Tensor& c) const {
  if (kind_ != LayerKind::LSTM) throw Error(describe() + ": lstm_step is for LSTM layers");
  check_input(x);
  const auto gate = [&](std::size_t g) {
    const auto from = static_cast<std::ptrdiff_t>(g * size_);
    std::vector<Slice> slices(x.dim() - 1);
    slices.push_back({from, from + static_cast<std::ptrdiff_t>(size_)});
    return slice(x, slices);
  };
  Tensor cell = sigmoid(gate(0)) * tanh(gate(2));
  if (c.defined()) cell = cell + sigmoid(gate(1)) * c;
  return {sigmoid(gate(3)) * tanh(cell), cell};
}

std::string NetworkLayer::name() const { return layer_kind_name(kind_) + "Layer"; }

std::string NetworkLayer::describe() const {
  // Appended piece by piece: gcc 12 warns falsely on "<" + std::string.
  return std::string("<").append(name()).append(" '").append(layer_name_).append("'>");
}

Tensor BiasUnit::forward(const Tensor& x) {
  if (x.dim() == 0) throw Error(describe() + ": the input needs a batch axis");
  return ones<float>({x.shape()[0], 1});
}

}  // namespace tg::nn
