#pragma once
// What the RNN, LSTM and GRU layers share: PyTorch's options, its parameters (named, shaped,
// ordered and initialised as torch.nn.LSTM's, so that its state_dict loads), the checks, and the
// run over layers and directions. Each layer and direction is one fused operation
// (ops/rnn_sequence.hpp).
#include <cstddef>
#include <string>
#include <vector>

#include "autograd/random.hpp"
#include "nn/module.hpp"
#include "ops/rnn_sequence.hpp"

namespace tg::nn {

struct RNNOptions {
  std::size_t num_layers = 1;
  bool bias = true;
  bool batch_first = false;           // x (B, S, I) instead of (S, B, I)
  double dropout = 0;                 // on the outputs of every layer but the last, in training
  bool bidirectional = false;         // output concatenates both directions: D = 2
  std::string nonlinearity = "tanh";  // RNN only: "tanh" or "relu"
};

// Which recurrence a layer runs.
enum class RecurrentCell { LSTM, GRU, RNNTanh, RNNReLU };

template <class T>
class BasicRecurrent : public BasicModule<T> {
 public:
  std::size_t input_size() const { return input_size_; }
  std::size_t hidden_size() const { return hidden_size_; }
  const RNNOptions& options() const { return options_; }
  std::size_t directions() const { return options_.bidirectional ? 2 : 1; }

  std::string describe() const override;  // "LSTM(32 -> 128, num_layers=2, bidirectional)"
  std::string extra_state() const override { return gen_.state(); }  // the dropout generator
  void set_extra_state(const std::string& state) override { gen_.set_state(state); }

 protected:
  // Registers weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (and _reverse) for
  // every layer k, each drawn from U(-1/sqrt(H), 1/sqrt(H)) in that order, as PyTorch does.
  BasicRecurrent(RecurrentCell cell, std::size_t input_size, std::size_t hidden_size, RNNOptions options);

  struct Run {
    BasicTensor<T> output;  // (S, B, D*H), or (B, S, D*H) when batch_first
    BasicTensor<T> final;   // (num_layers * D, B, W): each layer and direction's last state
  };
  // `initial` is (num_layers * D, B, W) or undefined (zeros); W is the state's width, 2H for
  // LSTM's [h | c]. Lengths, if given, are one per batch row.
  Run run(const BasicTensor<T>& x, const BasicTensor<T>& initial, const std::vector<std::size_t>& lengths);

  // GRU's and RNN's run, whose state is h alone: checks h0 first.
  Run run_from_h0(const BasicTensor<T>& x, const BasicTensor<T>& h0, const std::vector<std::size_t>& lengths) {
    check_state("h0", h0, batch_size(x));
    return run(x, h0, lengths);
  }

  // Throws naming the layer unless `state` (an initial h or c) is (num_layers * D, B, H).
  void check_state(const char* what, const BasicTensor<T>& state, std::size_t batch) const;
  std::size_t batch_size(const BasicTensor<T>& x) const;  // after checking x's shape

 private:
  struct Weights {
    BasicTensor<T> w_ih, w_hh, b_ih, b_hh;
  };
  BasicTensor<T> recurrence(const BasicTensor<T>& x, const BasicTensor<T>& state0, const Weights& w, bool reverse,
                            const Lengths& lengths) const;

  RecurrentCell cell_;
  std::size_t input_size_, hidden_size_;
  RNNOptions options_;
  std::vector<Weights> weights_;  // layer by layer, forward direction first
  Generator gen_;                 // the dropout masks
};

}  // namespace tg::nn
