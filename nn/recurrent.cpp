#include "nn/recurrent.hpp"

#include <cmath>
#include <memory>
#include <sstream>

#include "autograd/factory.hpp"
#include "nn/default_generator.hpp"
#include "nn/dropout.hpp"
#include "ops/arithmetic.hpp"
#include "ops/shape.hpp"

namespace tg::nn {
namespace {

const char* cell_name(RecurrentCell cell) {
  return cell == RecurrentCell::LSTM ? "LSTM" : cell == RecurrentCell::GRU ? "GRU" : "RNN";
}

std::size_t gate_count(RecurrentCell cell) {
  return cell == RecurrentCell::LSTM ? 4 : cell == RecurrentCell::GRU ? 3 : 1;
}

// One step (or more) along axis 0, as a tensor without that axis when `count` is 1.
template <class T>
BasicTensor<T> steps(const BasicTensor<T>& x, std::size_t from, const Shape& shape) {
  return reshape(slice(x, {Slice{std::ptrdiff_t(from), std::ptrdiff_t(from + 1)}}), shape);
}

}  // namespace

template <class T>
BasicRecurrent<T>::BasicRecurrent(RecurrentCell cell, std::size_t input_size, std::size_t hidden_size, RNNOptions options)
    : cell_(cell),
      input_size_(input_size),
      hidden_size_(hidden_size),
      options_(std::move(options)),
      gen_(default_generator().next()) {
  const std::string name = cell_name(cell);
  if (options_.nonlinearity != "tanh" && options_.nonlinearity != "relu")
    throw Error(name + ": unknown nonlinearity \"" + options_.nonlinearity + "\" (expected \"tanh\" or \"relu\")");
  if (cell != RecurrentCell::RNNTanh && cell != RecurrentCell::RNNReLU && options_.nonlinearity != "tanh")
    throw Error(name + ": the nonlinearity \"" + options_.nonlinearity + "\" is an option of RNN only");
  if (hidden_size == 0 || input_size == 0) throw Error(name + ": input and hidden sizes must be positive");
  if (options_.num_layers == 0) throw Error(name + ": num_layers must be at least 1");
  if (!(options_.dropout >= 0.0 && options_.dropout < 1.0))
    throw Error(name + ": dropout must lie in [0, 1), got " + std::to_string(options_.dropout));
  const std::size_t GH = gate_count(cell) * hidden_size;
  const T bound = T(1) / std::sqrt(T(hidden_size));
  for (std::size_t layer = 0; layer < options_.num_layers; ++layer)
    for (std::size_t d = 0; d < directions(); ++d) {
      const std::string suffix = "_l" + std::to_string(layer) + (d ? "_reverse" : "");
      const std::size_t in = layer == 0 ? input_size : directions() * hidden_size;
      auto param = [&](const std::string& name, const Shape& shape) {
        return this->register_parameter(name + suffix, uniform<T>(shape, -bound, bound, default_generator()));
      };
      Weights w;
      w.w_ih = param("weight_ih", {GH, in});
      w.w_hh = param("weight_hh", {GH, hidden_size});
      if (options_.bias) {
        w.b_ih = param("bias_ih", {GH});
        w.b_hh = param("bias_hh", {GH});
      }
      weights_.push_back(std::move(w));
    }
}

template <class T>
std::string BasicRecurrent<T>::describe() const {
  std::ostringstream s;
  s << this->name() << "(" << input_size_ << " -> " << hidden_size_;
  if (options_.num_layers > 1) s << ", num_layers=" << options_.num_layers;
  if (options_.bidirectional) s << ", bidirectional";
  if (options_.batch_first) s << ", batch_first";
  if (!options_.bias) s << ", no bias";
  if (options_.dropout > 0) s << ", dropout=" << options_.dropout;
  if (cell_ == RecurrentCell::RNNReLU) s << ", relu";
  s << ")";
  return s.str();
}

template <class T>
std::size_t BasicRecurrent<T>::batch_size(const BasicTensor<T>& x) const {
  const std::string layout = options_.batch_first ? "(B, S, " : "(S, B, ";
  if (!x.defined() || x.dim() != 3)
    throw Error(this->name() + ": the input must be " + layout + std::to_string(input_size_) + "), got " +
                (x.defined() ? "shape " + shape_str(x.shape()) : std::string("an undefined tensor")));
  if (x.shape()[2] != input_size_)
    throw Error(this->name() + ": the input of shape " + shape_str(x.shape()) + " has " + std::to_string(x.shape()[2]) +
                " features where the layer takes " + std::to_string(input_size_));
  return x.shape()[options_.batch_first ? 0 : 1];
}

template <class T>
void BasicRecurrent<T>::check_state(const char* what, const BasicTensor<T>& state, std::size_t batch) const {
  const Shape expected{options_.num_layers * directions(), batch, hidden_size_};
  if (state.defined() && state.shape() != expected)
    throw Error(this->name() + ": " + what + " has shape " + shape_str(state.shape()) + " where " +
                shape_str(expected) + " (layers * directions, batch, hidden) was expected");
}

template <class T>
BasicTensor<T> BasicRecurrent<T>::recurrence(const BasicTensor<T>& x, const BasicTensor<T>& state0, const Weights& w,
                                             bool reverse, const Lengths& lengths) const {
  const SequenceOptions options{.reverse = reverse, .lengths = lengths};
  switch (cell_) {
    case RecurrentCell::LSTM: return lstm_sequence(x, state0, w.w_ih, w.w_hh, w.b_ih, w.b_hh, options);
    case RecurrentCell::GRU: return gru_sequence(x, state0, w.w_ih, w.w_hh, w.b_ih, w.b_hh, options);
    case RecurrentCell::RNNTanh:
      return rnn_sequence(x, state0, w.w_ih, w.w_hh, w.b_ih, w.b_hh, RNNNonlinearity::Tanh, options);
    default: return rnn_sequence(x, state0, w.w_ih, w.w_hh, w.b_ih, w.b_hh, RNNNonlinearity::ReLU, options);
  }
}

template <class T>
typename BasicRecurrent<T>::Run BasicRecurrent<T>::run(const BasicTensor<T>& x, const BasicTensor<T>& initial,
                                                       const std::vector<std::size_t>& lengths) {
  const std::size_t B = batch_size(x), S = x.shape()[options_.batch_first ? 1 : 0], H = hidden_size_;
  const std::size_t W = cell_ == RecurrentCell::LSTM ? 2 * H : H, D = directions();
  Lengths shared_lengths;
  if (!lengths.empty()) {
    if (lengths.size() != B)
      throw Error(this->name() + ": " + std::to_string(lengths.size()) + " sequence lengths for a batch of " +
                  std::to_string(B));
    for (std::size_t i = 0; i < B; ++i)
      if (lengths[i] > S)
        throw Error(this->name() + ": sequence " + std::to_string(i) + " has length " + std::to_string(lengths[i]) +
                    ", longer than the " + std::to_string(S) + " steps of the input");
    shared_lengths = std::make_shared<const std::vector<std::size_t>>(lengths);
  }
  BasicTensor<T> input = options_.batch_first ? permute(x, {1, 0, 2}) : x;  // (S, B, features)
  std::vector<BasicTensor<T>> finals;
  for (std::size_t layer = 0; layer < options_.num_layers; ++layer) {
    std::vector<BasicTensor<T>> outputs;
    for (std::size_t d = 0; d < D; ++d) {
      const auto state0 = initial.defined() ? steps(initial, layer * D + d, {B, W}) : zeros<T>({B, W});
      const auto states = recurrence(input, state0, weights_[layer * D + d], d == 1, shared_lengths);
      finals.push_back(steps(states, d == 1 ? 0 : S - 1, {B, W}));  // the last step run
      outputs.push_back(W == H ? states : slice(states, {Slice{}, Slice{}, Slice{0, std::ptrdiff_t(H)}}));
    }
    input = D == 2 ? concat(outputs, 2) : outputs[0];
    if (layer + 1 < options_.num_layers) input = dropout(input, options_.dropout, this->is_training(), gen_);
  }
  if (shared_lengths) {  // outputs past a sequence's end are zero, as PyTorch's padded ones
    xt::xarray<T> mask = xt::zeros<T>({S, B, std::size_t(1)});
    for (std::size_t b = 0; b < B; ++b)
      for (std::size_t t = 0; t < lengths[b]; ++t) mask(t, b, 0) = T(1);
    input = input * make_tensor<T>(std::move(mask));
  }
  return {options_.batch_first ? permute(input, {1, 0, 2}) : input, stack(finals, 0)};
}

template class BasicRecurrent<float>;
template class BasicRecurrent<double>;

}  // namespace tg::nn
