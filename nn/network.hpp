#pragma once
// PyBrain's networks: layers joined by full connections, built as PyBrain's buildNetwork does.
//
//   auto net = tg::nn::build_network({2, 3, 1}, {.hidden = tg::nn::LayerKind::Tanh});
//   std::cout << (*net)["hidden0"];        // <TanhLayer 'hidden0'>
//   std::vector<float> y = net->activate({2, 1});
//
// The layers ("in", "hidden0", ..., "out", "bias") are the network's submodules and hold no
// weights; the connections are the network's parameters, named "<from>_to_<to>" with
// Linear's layout: "in_to_hidden0" (3, 2), "bias_to_hidden0" (3), "hidden0_to_out" (1, 3), ...
// As PyBrain's randomize(), every weight starts from a standard normal draw.
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "autograd/random.hpp"
#include "nn/default_generator.hpp"
#include "nn/module.hpp"

namespace tg::nn {

enum class LayerKind { Linear, Sigmoid, Tanh, Softmax, Gaussian, LSTM };

std::string layer_kind_name(LayerKind kind);          // "Tanh"
LayerKind layer_kind_from_name(const std::string& name);  // throws tg::Error for an unknown name

struct NetworkOptions {
  LayerKind hidden = LayerKind::Sigmoid;
  LayerKind out = LayerKind::Linear;
  bool bias = true;        // a bias unit connected to every hidden layer and to the output layer
  bool recurrent = false;  // PyBrain's RecurrentNetwork
};

// One of a network's layers. Its input is the sum of its incoming connections; it applies its
// activation: identity (LinearLayer), sigmoid, tanh, softmax over the units, or exp(-x^2)
// (GaussianLayer: see the README for how it differs from PyBrain's sampling layer).
class NetworkLayer : public Module {
 public:
  NetworkLayer(LayerKind kind, std::size_t size, std::string layer_name);
  Tensor forward(const Tensor& x) override;  // (..., size) -> (..., size)
  std::string name() const override;      // PyBrain's class: "TanhLayer"
  std::string describe() const override;  // as PyBrain prints it: "<TanhLayer 'hidden0'>"

  LayerKind kind() const { return kind_; }
  std::size_t size() const { return size_; }
  const std::string& layer_name() const { return layer_name_; }

 private:
  LayerKind kind_;
  std::size_t size_;
  std::string layer_name_;
};

// PyBrain's BiasUnit: one unit whose output is always 1.
class BiasUnit : public Module {
 public:
  explicit BiasUnit(std::string layer_name = "bias") : layer_name_(std::move(layer_name)) {}
  Tensor forward(const Tensor& x) override;  // ones (x.shape()[0], 1)
  std::string name() const override { return "BiasUnit"; }
  std::string describe() const override { return "<BiasUnit '" + layer_name_ + "'>"; }
  const std::string& layer_name() const { return layer_name_; }

 private:
  std::string layer_name_;
};

class Network : public Module {
 public:
  // sizes: the units of the input layer, of each hidden layer and of the output layer.
  Network(const std::vector<std::size_t>& sizes, const NetworkOptions& options = {},
          Generator& gen = default_generator());

  Tensor forward(const Tensor& x) override;  // (B, inputs) -> (B, outputs)
  // The summed input of the 'out' layer, before its activation (a softmax output's error is
  // backpropagated from here: PyBrain's SoftmaxLayer passes errors through unchanged).
  Tensor forward_to_out(const Tensor& x);
  // One sample in, its output out, without recording.
  std::vector<float> activate(const std::vector<float>& sample);

  // A layer by name; throws tg::Error naming an unknown layer and the network's layers.
  Module& operator[](const std::string& layer);
  const Module& operator[](const std::string& layer) const;

  std::string name() const override { return "Network"; }
  std::string describe() const override;  // "FeedForwardNetwork(2-3-1, TanhLayer hidden, LinearLayer out, bias)"
  const std::vector<std::size_t>& sizes() const { return sizes_; }
  const NetworkOptions& options() const { return options_; }

 private:
  // A full connection; its weight is the parameter `from`_to_`to`, read through tensor() so
  // that a weight tied by assignment is the one used.
  struct Connection {
    std::string from, to;
  };
  void add_connection(const std::string& from, const std::string& to, Generator& gen);
  Tensor layer_input(const std::string& layer, const std::vector<std::pair<std::string, Tensor>>& outputs);

  std::vector<std::size_t> sizes_;
  NetworkOptions options_;
  std::vector<std::string> order_;  // the layers after 'in', in the order they are computed
  std::vector<Connection> connections_;
};

// PyBrain's buildNetwork(*sizes, hiddenclass, outclass, bias): a shared network.
std::shared_ptr<Network> build_network(const std::vector<std::size_t>& sizes, const NetworkOptions& options = {});

// Any module as it describes itself: a network's layer prints as PyBrain prints it.
std::ostream& operator<<(std::ostream& out, const Module& module);

}  // namespace tg::nn
