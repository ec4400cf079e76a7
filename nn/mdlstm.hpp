#pragma once
// MDLSTM: the 2-D multi-dimensional LSTM layer of Graves, Fernandez & Schmidhuber (2007), as
// PyBrain's MDLSTMLayer, over a (B, R, C, I) grid scanned in raster order: every position sees
// its input, and the h and c of its upper and left neighbours, with one forget gate for each
// (ops/mdlstm.hpp has the formulas). Parameters in PyTorch's manner: weight_ih (5H, I),
// weight_hh (5H, 2H) for [h_up | h_left], bias_ih, bias_hh (5H), gates i, f_up, f_left, g, o;
// all drawn from U(-1/sqrt(H), 1/sqrt(H)).
//
//   tg::nn::MDLSTM md(16, 32);               // 4x4-pixel patches of MNIST on a 7x7 grid
//   auto h = md.forward(patches);            // (B, 7, 7, 32); h[:, 6, 6] has seen the whole image
#include "nn/module.hpp"

namespace tg::nn {

template <class T>
class BasicMDLSTM : public BasicModule<T> {
 public:
  BasicMDLSTM(std::size_t input_size, std::size_t hidden_size, bool bias = true);

  BasicTensor<T> forward(const BasicTensor<T>& x) override;  // (B, R, C, I) -> (B, R, C, H)
  std::string name() const override { return "MDLSTM"; }
  std::string describe() const override;  // "MDLSTM(16 -> 32)"

  std::size_t input_size() const { return input_size_; }
  std::size_t hidden_size() const { return hidden_size_; }

  BasicTensor<T> weight_ih, weight_hh, bias_ih, bias_hh;  // biases undefined when built without

 private:
  std::size_t input_size_, hidden_size_;
};

using MDLSTM = BasicMDLSTM<float>;

extern template class BasicMDLSTM<float>;
extern template class BasicMDLSTM<double>;

}  // namespace tg::nn
