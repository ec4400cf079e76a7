#pragma once
// LSTM: a stack of LSTM layers over whole sequences, as torch.nn.LSTM (nn/recurrent.hpp has the
// options and parameters). Gates i, f, g, o; c' = f c + i g; h' = o tanh(c').
//
//   tg::nn::LSTM lstm(32, 128, {.num_layers = 2, .batch_first = true});
//   auto [output, state] = lstm.forward(x, {});       // zero initial state; state.h, state.c
//   auto next = lstm.forward(x2, {state.h.detach(), state.c.detach()});  // truncated BPTT
#include "nn/recurrent.hpp"
#include "ops/rnn_cell.hpp"

namespace tg::nn {

template <class T>
class BasicLSTM : public BasicRecurrent<T> {
 public:
  BasicLSTM(std::size_t input_size, std::size_t hidden_size, RNNOptions options = {});

  struct Output {
    BasicTensor<T> output;    // (S, B, D*H), batch_first: (B, S, D*H)
    BasicLSTMState<T> state;  // h and c, each (num_layers * D, B, H)
  };
  // An undefined h or c starts from zeros. With `lengths` (one per batch row), outputs past a
  // sequence's length are zero and its final state is the one at its last real step.
  Output forward(const BasicTensor<T>& x, const BasicLSTMState<T>& state,
                 const std::vector<std::size_t>& lengths = {});
  BasicTensor<T> forward(const BasicTensor<T>& x) override;  // the output alone, from a zero state
  std::string name() const override { return "LSTM"; }
};

using LSTM = BasicLSTM<float>;

extern template class BasicLSTM<float>;
extern template class BasicLSTM<double>;

}  // namespace tg::nn
