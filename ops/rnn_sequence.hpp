#pragma once
// One layer and direction of a recurrent network over a whole sequence, each one fused
// operation: the input's share of the gates x W_ih^T + b_ih for all steps in one product, then
// for every step the recurrent product h W_hh^T + b_hh, the gate nonlinearities and the state
// update; the rule backpropagates through time over all steps, with one product at the end for
// each weight's gradient. One tape node per layer and direction instead of ~18 per step (README,
// "Recurrent layers", has the measurements).
//
// Gate order and formulas are PyTorch's. x is (S, B, I), steps first, or (B, I) for a single
// step; the result has one state per step in the same layout: (S, B, W) or (B, W), where W is
// the state's width. w_ih is (G*H, I), w_hh (G*H, H), b_ih and b_hh (G*H) or undefined.
// The rules compute the gradients in one pass over the saved gate values; under create_graph
// they are written with tg operations step by step instead, so second derivatives work.
#include <cstddef>
#include <memory>
#include <vector>

#include "autograd/tensor.hpp"

namespace tg {

// Each batch row's sequence length; steps at or past it leave that row's state unchanged and
// pass no gradient through the step. Null: every row runs all S steps.
using Lengths = std::shared_ptr<const std::vector<std::size_t>>;

struct SequenceOptions {
  bool reverse = false;  // run from the last step to the first (the backward direction)
  Lengths lengths = {};
};

// LSTM, gates i, f, g, o: a = x W_ih^T + b_ih + h W_hh^T + b_hh; c' = f c + i g; h' = o tanh(c').
// The state is h and c side by side: state0 is (B, 2H) = [h | c], and so is each step's result.
template <class T>
BasicTensor<T> lstm_sequence(const BasicTensor<T>& x, const BasicTensor<T>& state0, const BasicTensor<T>& w_ih,
                             const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                             const SequenceOptions& options = {});

// GRU, gates r, z, n: r = sigmoid(x_r + h_r), z = sigmoid(x_z + h_z), n = tanh(x_n + r h_n),
// h' = (1 - z) n + z h, where x_* = x W_ih^T + b_ih and h_* = h W_hh^T + b_hh, by block.
template <class T>
BasicTensor<T> gru_sequence(const BasicTensor<T>& x, const BasicTensor<T>& h0, const BasicTensor<T>& w_ih,
                            const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                            const SequenceOptions& options = {});

enum class RNNNonlinearity { Tanh, ReLU };

// Elman RNN: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh), or relu.
template <class T>
BasicTensor<T> rnn_sequence(const BasicTensor<T>& x, const BasicTensor<T>& h0, const BasicTensor<T>& w_ih,
                            const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                            RNNNonlinearity nonlinearity, const SequenceOptions& options = {});

}  // namespace tg
