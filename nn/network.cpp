#include "nn/network.hpp"

#include <algorithm>
#include <ostream>

#include <xtensor/xadapt.hpp>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "nn/activation.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "ops/activation.hpp"
#include "ops/arithmetic.hpp"
#include "ops/softmax.hpp"

namespace tg::nn {
namespace {

constexpr LayerKind all_kinds[] = {LayerKind::Linear,   LayerKind::Sigmoid,  LayerKind::Tanh,
                                   LayerKind::Softmax,  LayerKind::Gaussian, LayerKind::LSTM};

std::string hidden_name(std::size_t i) { return "hidden" + std::to_string(i); }

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
  if (kind == LayerKind::LSTM) throw Error("NetworkLayer '" + layer_name_ + "': LSTM layers are not available yet");
  if (size == 0) throw Error("NetworkLayer '" + layer_name_ + "': a layer needs at least one unit");
}

Tensor NetworkLayer::forward(const Tensor& x) {
  if (x.dim() == 0 || x.shape().back() != size_)
    throw Error(describe() + ": input of shape " + shape_str(x.shape()) + " does not have " +
                std::to_string(size_) + " units on its last axis");
  switch (kind_) {
    case LayerKind::Sigmoid: return sigmoid(x);
    case LayerKind::Tanh: return tanh(x);
    case LayerKind::Softmax: return softmax(x, -1);
    case LayerKind::Gaussian: return gaussian(x);
    default: return x;
  }
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

Network::Network(const std::vector<std::size_t>& sizes, const NetworkOptions& options, Generator& gen)
    : sizes_(sizes), options_(options) {
  if (sizes.size() < 2)
    throw Error("build_network: needs the sizes of the input and output layers at least, got " +
                std::to_string(sizes.size()) + " sizes");
  if (std::find(sizes.begin(), sizes.end(), 0) != sizes.end())
    throw Error("build_network: every layer needs at least one unit");
  if (options.recurrent) throw Error("build_network: recurrent networks are not available yet");
  // Built in buildNetwork's order: the layers, then the connections, bias first.
  register_module("in", NetworkLayer(LayerKind::Linear, sizes.front(), "in"));
  const std::size_t hidden_layers = sizes.size() - 2;
  for (std::size_t i = 0; i < hidden_layers; ++i) {
    register_module(hidden_name(i), NetworkLayer(options.hidden, sizes[i + 1], hidden_name(i)));
    order_.push_back(hidden_name(i));
  }
  register_module("out", NetworkLayer(options.out, sizes.back(), "out"));
  order_.push_back("out");
  if (options.bias) {
    register_module("bias", BiasUnit("bias"));
    add_connection("bias", "out", gen);
    for (std::size_t i = 0; i < hidden_layers; ++i) add_connection("bias", hidden_name(i), gen);
  }
  for (std::size_t i = 0; i + 1 < hidden_layers; ++i) add_connection(hidden_name(i), hidden_name(i + 1), gen);
  if (hidden_layers == 0) {
    add_connection("in", "out", gen);
  } else {
    add_connection("in", hidden_name(0), gen);
    add_connection(hidden_name(hidden_layers - 1), "out", gen);
  }
}

void Network::add_connection(const std::string& from, const std::string& to, Generator& gen) {
  const auto units = [this](const std::string& layer) {
    return static_cast<const NetworkLayer&>((*this)[layer]).size();
  };
  Tensor weight = from == "bias" ? zeros<float>({units(to)}) : zeros<float>({units(to), units(from)});
  init::normal_(weight, 0.0, 1.0, gen);
  register_parameter(from + "_to_" + to, weight);
  connections_.push_back({from, to});
}

Tensor Network::layer_input(const std::string& layer, const std::vector<std::pair<std::string, Tensor>>& outputs) {
  const auto output_of = [&outputs](const std::string& from) {
    return std::find_if(outputs.begin(), outputs.end(), [&](const auto& entry) { return entry.first == from; })->second;
  };
  Tensor sum, bias;
  for (const auto& c : connections_) {
    if (c.to != layer) continue;
    const Tensor& weight = tensor(c.from + "_to_" + c.to);
    if (c.from == "bias") {
      bias = weight;
      continue;
    }
    const Tensor term = linear(output_of(c.from), weight);
    sum = sum.defined() ? sum + term : term;
  }
  return bias.defined() ? sum + bias : sum;
}

Tensor Network::forward_to_out(const Tensor& x) {
  if (x.dim() != 2 || x.shape()[1] != sizes_.front())
    throw Error(describe() + ": the input must be (batch, " + std::to_string(sizes_.front()) + "), got shape " +
                shape_str(x.shape()));
  std::vector<std::pair<std::string, Tensor>> outputs{{"in", (*this)["in"](x)}};
  for (const auto& layer : order_) {
    Tensor input = layer_input(layer, outputs);
    if (layer == "out") return input;
    outputs.emplace_back(layer, (*this)[layer](input));
  }
  throw Error(describe() + ": has no 'out' layer");
}

Tensor Network::forward(const Tensor& x) { return (*this)["out"](forward_to_out(x)); }

std::vector<float> Network::activate(const std::vector<float>& sample) {
  if (sample.size() != sizes_.front())
    throw Error("activate: the network takes " + std::to_string(sizes_.front()) + " inputs, got " +
                std::to_string(sample.size()));
  NoGradGuard no_grad;
  xt::xarray<float> input = xt::adapt(sample, std::vector<std::size_t>{1, sample.size()});
  const Tensor y = forward(Tensor::from(std::move(input)));
  return {y.value().begin(), y.value().end()};
}

Module& Network::operator[](const std::string& layer) {
  return const_cast<Module&>(static_cast<const Network&>(*this)[layer]);
}

const Module& Network::operator[](const std::string& layer) const {
  std::string names;
  for (const auto& [name, module] : named_children()) {
    if (name == layer) return *module;
    names += (names.empty() ? "'" : ", '") + name + "'";
  }
  throw Error("Network: no layer named '" + layer + "'; its layers are " + names);
}

std::string Network::describe() const {
  std::string text = options_.recurrent ? "RecurrentNetwork(" : "FeedForwardNetwork(";
  for (std::size_t i = 0; i < sizes_.size(); ++i) text.append(i ? "-" : "").append(std::to_string(sizes_[i]));
  text.append(", ").append(layer_kind_name(options_.hidden)).append("Layer hidden, ");
  text.append(layer_kind_name(options_.out)).append("Layer out");
  text += options_.bias ? ", bias)" : ")";
  return text;
}

std::shared_ptr<Network> build_network(const std::vector<std::size_t>& sizes, const NetworkOptions& options) {
  return std::make_shared<Network>(sizes, options);
}

std::ostream& operator<<(std::ostream& out, const Module& module) { return out << module.describe(); }

}  // namespace tg::nn
