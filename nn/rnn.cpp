#include "nn/rnn.hpp"

namespace tg::nn {

template <class T>
BasicRNN<T>::BasicRNN(std::size_t input_size, std::size_t hidden_size, RNNOptions options)
    : BasicRecurrent<T>(options.nonlinearity == "relu" ? RecurrentCell::RNNReLU : RecurrentCell::RNNTanh, input_size,
                        hidden_size, options) {}

template <class T>
typename BasicRNN<T>::Output BasicRNN<T>::forward(const BasicTensor<T>& x, const BasicTensor<T>& h0,
                                                  const std::vector<std::size_t>& lengths) {
  auto run = this->run_from_h0(x, h0, lengths);
  return {run.output, run.final};
}

template <class T>
BasicTensor<T> BasicRNN<T>::forward(const BasicTensor<T>& x) {
  return forward(x, BasicTensor<T>()).output;
}

template class BasicRNN<float>;
template class BasicRNN<double>;

}  // namespace tg::nn
