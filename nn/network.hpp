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
//
// A recurrent network (.recurrent = true, PyBrain's RecurrentNetwork) or one with an LSTM layer
// runs over time: activate takes each sample as the next step until reset(), and forward takes
// whole sequences. As in buildNetwork, an LSTM hidden layer of a recurrent network gets its own
// output at the step before ("hidden0_to_hidden0_recurrent"); add_recurrent_connection adds others:
//
//   auto net = tg::nn::build_network({1, 2, 1}, {.hidden = Tanh, .out = Tanh, .recurrent = true});
//   net->add_recurrent_connection("out", "hidden0");   // PyBrain's parity network
#include <cstddef>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/random.hpp"
#include "nn/default_generator.hpp"
#include "nn/module.hpp"
#include "nn/network_layer.hpp"

namespace tg::nn {

struct NetworkOptions {
  LayerKind hidden = LayerKind::Sigmoid;
  LayerKind out = LayerKind::Linear;
  bool bias = true;        // a bias unit connected to every hidden layer and to the output layer
  bool recurrent = false;  // PyBrain's RecurrentNetwork
};

class Network : public Module {
 public:
  // sizes: the units of the input layer, of each hidden layer and of the output layer.
  Network(const std::vector<std::size_t>& sizes, const NetworkOptions& options = {},
          Generator& gen = default_generator());

  // (B, inputs) -> (B, outputs); a network that runs over time takes (S, B, inputs) to
  // (S, B, outputs), S steps from a reset state (activate's state is left as it is).
  Tensor forward(const Tensor& x) override;
  // The summed input of the 'out' layer, before its activation (a softmax output's error is
  // backpropagated from here: PyBrain's SoftmaxLayer passes errors through unchanged).
  Tensor forward_to_out(const Tensor& x);
  // One sample in, its output out, without recording; a network that runs over time takes it as
  // its next step.
  std::vector<float> activate(const std::vector<float>& sample);
  void reset();  // PyBrain's reset(): activate starts again from the first step

  // PyBrain's addRecurrentConnection(FullConnection(net[from], net[to])), for recurrent networks:
  // `from`'s output at the step before feeds `to`; the parameter "<from>_to_<to>_recurrent".
  void add_recurrent_connection(const std::string& from, const std::string& to, Generator& gen = default_generator());
  // Those added by add_recurrent_connection, in order.
  const std::vector<std::pair<std::string, std::string>>& added_recurrent_connections() const { return added_; }
  bool runs_over_time() const;  // recurrent, or with an LSTM layer

  // A layer by name; throws tg::Error naming an unknown layer and the network's layers.
  Module& operator[](const std::string& layer);
  const Module& operator[](const std::string& layer) const;

  std::string name() const override { return "Network"; }
  std::string describe() const override;  // "FeedForwardNetwork(2-3-1, TanhLayer hidden, LinearLayer out, bias)"
  const std::vector<std::size_t>& sizes() const { return sizes_; }
  const NetworkOptions& options() const { return options_; }

 private:
  // A full connection; its weight is the parameter `from`_to_`to` (+ "_recurrent"), read through
  // tensor() so that a weight tied by assignment is the one used.
  struct Connection {
    std::string from, to;
    bool recurrent = false;
    std::string parameter() const { return from + "_to_" + to + (recurrent ? "_recurrent" : ""); }
  };
  // Every layer's output, and each LSTM layer's cell, at one step.
  struct Step {
    std::vector<std::pair<std::string, Tensor>> outputs, cells;
  };
  struct Run {
    Tensor summed, output;  // the 'out' layer's input and output
  };
  void add_connection(const std::string& from, const std::string& to, bool recurrent, Generator& gen);
  const NetworkLayer& layer(const std::string& name) const;
  // One step from x (B, inputs) and the step before: fills `now` and returns its Run.
  Run step(const Tensor& x, const Step& before, Step& now);
  Run run(const Tensor& x);  // the whole input, as forward takes it
  Tensor layer_input(const std::string& layer, const Step& now, const Step& before);

  std::vector<std::size_t> sizes_;
  NetworkOptions options_;
  std::vector<std::string> order_;  // the layers after 'in', in the order they are computed
  std::vector<Connection> connections_;
  std::vector<std::pair<std::string, std::string>> added_;
  Step state_;  // activate's last step
};

// PyBrain's buildNetwork(*sizes, hiddenclass, outclass, bias, recurrent): a shared network.
std::shared_ptr<Network> build_network(const std::vector<std::size_t>& sizes, const NetworkOptions& options = {});

// Any module as it describes itself: a network's layer prints as PyBrain prints it.
std::ostream& operator<<(std::ostream& out, const Module& module);

}  // namespace tg::nn
