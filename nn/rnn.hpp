#pragma once
// RNN: a stack of Elman layers over whole sequences, as torch.nn.RNN (nn/recurrent.hpp has the
// options and parameters): h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or relu with
// options.nonlinearity = "relu".
#include "nn/recurrent.hpp"

namespace tg::nn {

template <class T>
class BasicRNN : public BasicRecurrent<T> {
 public:
  BasicRNN(std::size_t input_size, std::size_t hidden_size, RNNOptions options = {});

  struct Output {
    BasicTensor<T> output;  // (S, B, D*H), batch_first: (B, S, D*H)
    BasicTensor<T> h;       // (num_layers * D, B, H)
  };
  // An undefined h0 starts from zeros; `lengths` as for LSTM.
  Output forward(const BasicTensor<T>& x, const BasicTensor<T>& h0, const std::vector<std::size_t>& lengths = {});
  BasicTensor<T> forward(const BasicTensor<T>& x) override;  // the output alone, from a zero state
  std::string name() const override { return "RNN"; }
};

using RNN = BasicRNN<float>;

extern template class BasicRNN<float>;
extern template class BasicRNN<double>;

}  // namespace tg::nn
