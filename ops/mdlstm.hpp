#pragma once
// The 2-D multi-dimensional LSTM of Graves, Fernandez & Schmidhuber (2007), as PyBrain's
// MDLSTMLayer computes it, over a whole grid in one fused operation. The grid is scanned in
// raster order (row after row, left to right); each position takes the states of its upper and
// left neighbours (zero outside the grid) and has one forget gate per dimension:
//
//   a = input_gates + [h_up | h_left] W_hh^T + b_hh, gates i, f_up, f_left, g, o (PyBrain's
//   order: input gate, forget gates by dimension, cell input, output gate);
//   c = i tanh(a_g) + f_up c_up + f_left c_left;  h = o tanh(c).
//
// input_gates is (R, C, B, 5H) (rows, columns, batch: the scan order first), w_hh (5H, 2H),
// b_hh (5H) or undefined; the result is (R, C, B, 2H), [h | c] at every position. The rule
// backpropagates through the grid in reverse raster order; under create_graph it is written in
// tg ops position by position.
#include "autograd/tensor.hpp"

namespace tg {

template <class T>
BasicTensor<T> mdlstm_grid(const BasicTensor<T>& input_gates, const BasicTensor<T>& w_hh, const BasicTensor<T>& b_hh);

}  // namespace tg
