#pragma once
// GRU: a stack of GRU layers over whole sequences, as torch.nn.GRU (nn/recurrent.hpp has the
// options and parameters). Gates r, z, n; n = tanh(W_in x + b_in + r (W_hn h + b_hn));
// h' = (1 - z) n + z h.
#include "nn/recurrent.hpp"

namespace tg::nn {

template <class T>
class BasicGRU : public BasicRecurrent<T> {
 public:
  BasicGRU(std::size_t input_size, std::size_t hidden_size, RNNOptions options = {});

  struct Output {
    BasicTensor<T> output;  // (S, B, D*H), batch_first: (B, S, D*H)
    BasicTensor<T> h;       // (num_layers * D, B, H)
  };
  // An undefined h0 starts from zeros; `lengths` as for LSTM.
  Output forward(const BasicTensor<T>& x, const BasicTensor<T>& h0, const std::vector<std::size_t>& lengths = {});
  BasicTensor<T> forward(const BasicTensor<T>& x) override;  // the output alone, from a zero state
  std::string name() const override { return "GRU"; }
};

using GRU = BasicGRU<float>;

extern template class BasicGRU<float>;
extern template class BasicGRU<double>;

}  // namespace tg::nn
