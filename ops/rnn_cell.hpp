#pragma once
// The recurrent cells of PyTorch's functional API, one time step each, T = float or double:
// x (B, I); h, c (B, H); w_ih (G*H, I), w_hh (G*H, H); b_ih, b_hh (G*H) or undefined tensors
// (no bias). Gate order and formulas exactly as PyTorch's: LSTM i, f, g, o (G = 4); GRU r, z, n
// (G = 3, n = tanh(W_in x + b_in + r * (W_hn h + b_hn))); RNN G = 1. Each is a fused sequence
// of one step (ops/rnn_sequence.hpp).
#include "autograd/tensor.hpp"

namespace tg::nn {

template <class T>
struct BasicLSTMState {
  BasicTensor<T> h, c;
};
using LSTMState = BasicLSTMState<float>;

template <class T>
BasicLSTMState<T> lstm_cell(const BasicTensor<T>& x, const BasicLSTMState<T>& state, const BasicTensor<T>& w_ih,
                            const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh);
template <class T>
BasicTensor<T> gru_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                        const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh);
template <class T>
BasicTensor<T> rnn_tanh_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                             const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh);
template <class T>
BasicTensor<T> rnn_relu_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                             const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh);

}  // namespace tg::nn
