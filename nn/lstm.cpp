#include "nn/lstm.hpp"

#include "autograd/factory.hpp"
#include "ops/shape.hpp"

namespace tg::nn {

template <class T>
BasicLSTM<T>::BasicLSTM(std::size_t input_size, std::size_t hidden_size, RNNOptions options)
    : BasicRecurrent<T>(RecurrentCell::LSTM, input_size, hidden_size, std::move(options)) {}

template <class T>
typename BasicLSTM<T>::Output BasicLSTM<T>::forward(const BasicTensor<T>& x, const BasicLSTMState<T>& state,
                                                    const std::vector<std::size_t>& lengths) {
  const std::size_t B = this->batch_size(x), H = this->hidden_size();
  this->check_state("h0", state.h, B);
  this->check_state("c0", state.c, B);
  // The fused recurrence carries [h | c]; a missing half starts from zeros.
  BasicTensor<T> initial;
  if (state.h.defined() || state.c.defined()) {
    const Shape shape{this->options().num_layers * this->directions(), B, H};
    initial = concat<T>({state.h.defined() ? state.h : zeros<T>(shape), state.c.defined() ? state.c : zeros<T>(shape)}, 2);
  }
  auto run = this->run(x, initial, lengths);
  const auto half = [&](std::size_t from) {
    return slice(run.final, {Slice{}, Slice{}, Slice{std::ptrdiff_t(from), std::ptrdiff_t(from + H)}});
  };
  return {run.output, {half(0), half(H)}};
}

template <class T>
BasicTensor<T> BasicLSTM<T>::forward(const BasicTensor<T>& x) {
  return forward(x, BasicLSTMState<T>{}).output;
}

template class BasicLSTM<float>;
template class BasicLSTM<double>;

}  // namespace tg::nn
