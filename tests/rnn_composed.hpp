#pragma once
// The recurrent cells composed of plain tg operations, gate by gate as PyTorch's reference
// code writes them: the fused steps (ops/rnn_step.hpp) must agree with these, and
// bench/rnn_cell_cost.cpp measures what fusing saves against them.
#include "tapegrad.hpp"

namespace tg::testing {

template <class T>
BasicTensor<T> gate(const BasicTensor<T>& gates, std::size_t k, std::size_t hidden) {
  return slice(gates, {Slice{}, Slice{std::ptrdiff_t(k * hidden), std::ptrdiff_t((k + 1) * hidden)}});
}

template <class T>
BasicTensor<T> affine(const BasicTensor<T>& x, const BasicTensor<T>& w, const BasicTensor<T>& b) {
  auto y = matmul(x, w, {.transpose_b = true});
  return b.defined() ? y + b : y;
}

template <class T>
nn::BasicLSTMState<T> composed_lstm_cell(const BasicTensor<T>& x, const nn::BasicLSTMState<T>& state,
                                         const BasicTensor<T>& w_ih, const BasicTensor<T>& w_hh,
                                         const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  const std::size_t H = w_hh.shape()[1];
  const auto gates = affine(x, w_ih, b_ih) + affine(state.h, w_hh, b_hh);
  const auto i = sigmoid(gate(gates, 0, H)), f = sigmoid(gate(gates, 1, H)), g = tanh(gate(gates, 2, H)),
             o = sigmoid(gate(gates, 3, H));
  const auto c = f * state.c + i * g;
  return {o * tanh(c), c};
}

template <class T>
BasicTensor<T> composed_gru_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                                 const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  const std::size_t H = w_hh.shape()[1];
  const auto xi = affine(x, w_ih, b_ih), hh = affine(h, w_hh, b_hh);
  const auto r = sigmoid(gate(xi, 0, H) + gate(hh, 0, H)), z = sigmoid(gate(xi, 1, H) + gate(hh, 1, H));
  const auto n = tanh(gate(xi, 2, H) + r * gate(hh, 2, H));
  return (1.0 - z) * n + z * h;
}

template <class T>
BasicTensor<T> composed_rnn_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                                 const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                                 bool relu) {
  const auto a = affine(x, w_ih, b_ih) + affine(h, w_hh, b_hh);
  return relu ? tg::relu(a) : tg::tanh(a);
}

}  // namespace tg::testing
