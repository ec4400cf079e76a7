#include "nn/gru.hpp"

namespace tg::nn {

template <class T>
BasicGRU<T>::BasicGRU(std::size_t input_size, std::size_t hidden_size, RNNOptions options)
    : BasicRecurrent<T>(RecurrentCell::GRU, input_size, hidden_size, std::move(options)) {}

template <class T>
typename BasicGRU<T>::Output BasicGRU<T>::forward(const BasicTensor<T>& x, const BasicTensor<T>& h0,
                                                  const std::vector<std::size_t>& lengths) {
  auto run = this->run_from_h0(x, h0, lengths);
  return {run.output, run.final};
}

template <class T>
BasicTensor<T> BasicGRU<T>::forward(const BasicTensor<T>& x) {
  return forward(x, BasicTensor<T>()).output;
}

template class BasicGRU<float>;
template class BasicGRU<double>;

}  // namespace tg::nn
