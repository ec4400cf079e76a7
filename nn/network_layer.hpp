#pragma once
// The layers of PyBrain's networks (nn/network.hpp): they hold no weights; a layer's input is
// the sum of the connections into it.
#include <cstddef>
#include <string>

#include "nn/module.hpp"

namespace tg::nn {

enum class LayerKind { Linear, Sigmoid, Tanh, Softmax, Gaussian, LSTM };

std::string layer_kind_name(LayerKind kind);          // "Tanh"
LayerKind layer_kind_from_name(const std::string& name);  // throws tg::Error for an unknown name

// One of a network's layers. It applies its activation: identity (LinearLayer), sigmoid, tanh,
// softmax over the units, or exp(-x^2) (GaussianLayer: see the README for how it differs from
// PyBrain's sampling layer). An LSTM layer is PyBrain's LSTMLayer without peepholes: its input
// is 4 * size gate sums in PyBrain's order, input gate i, forget gate f, cell input g, output
// gate o; its cell c' = sigmoid(f) c + sigmoid(i) tanh(g) and its output sigmoid(o) tanh(c').
class NetworkLayer : public Module {
 public:
  NetworkLayer(LayerKind kind, std::size_t size, std::string layer_name);
  // (..., input_size()) -> (..., size); an LSTM layer starts from a zero cell.
  Tensor forward(const Tensor& x) override;
  struct LSTMStep {
    Tensor output, cell;
  };
  // An LSTM layer's step from the cell `c` before it (undefined: zeros).
  LSTMStep lstm_step(const Tensor& x, const Tensor& c) const;
  std::string name() const override;      // PyBrain's class: "TanhLayer"
  std::string describe() const override;  // as PyBrain prints it: "<TanhLayer 'hidden0'>"

  LayerKind kind() const { return kind_; }
  std::size_t size() const { return size_; }
  std::size_t input_size() const { return kind_ == LayerKind::LSTM ? 4 * size_ : size_; }
  const std::string& layer_name() const { return layer_name_; }

 private:
  void check_input(const Tensor& x) const;

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

}  // namespace tg::nn
