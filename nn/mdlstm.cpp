#include "nn/mdlstm.hpp"

#include <cmath>

#include "autograd/factory.hpp"
#include "nn/default_generator.hpp"
#include "ops/arithmetic.hpp"
#include "ops/matmul.hpp"
#include "ops/mdlstm.hpp"
#include "ops/shape.hpp"

namespace tg::nn {

template <class T>
BasicMDLSTM<T>::BasicMDLSTM(std::size_t input_size, std::size_t hidden_size, bool bias)
    : input_size_(input_size), hidden_size_(hidden_size) {
  if (input_size == 0 || hidden_size == 0) throw Error("MDLSTM: input and hidden sizes must be positive");
  const T bound = T(1) / std::sqrt(T(hidden_size));
  auto draw = [&](const Shape& shape) { return uniform<T>(shape, -bound, bound, default_generator()); };
  weight_ih = this->register_parameter("weight_ih", draw({5 * hidden_size, input_size}));
  weight_hh = this->register_parameter("weight_hh", draw({5 * hidden_size, 2 * hidden_size}));
  if (bias) {
    bias_ih = this->register_parameter("bias_ih", draw({5 * hidden_size}));
    bias_hh = this->register_parameter("bias_hh", draw({5 * hidden_size}));
  }
}

template <class T>
BasicTensor<T> BasicMDLSTM<T>::forward(const BasicTensor<T>& x) {
  if (!x.defined() || x.dim() != 4 || x.shape()[3] != input_size_)
    throw Error("MDLSTM: the input must be (B, rows, columns, " + std::to_string(input_size_) + "), got " +
                (x.defined() ? "shape " + shape_str(x.shape()) : std::string("an undefined tensor")));
  const Shape s = x.shape();
  const std::size_t B = s[0], R = s[1], C = s[2], H = hidden_size_;
  // The scan order first, (R, C, B, I), and every position's share of the gates in one product.
  const auto positions = reshape(permute(x, {1, 2, 0, 3}), {R * C * B, input_size_});
  auto gates = matmul(positions, weight_ih, {.transpose_b = true});
  if (bias_ih.defined()) gates = gates + bias_ih;
  const auto states = mdlstm_grid(reshape(gates, {R, C, B, 5 * H}), weight_hh, bias_hh);
  return permute(slice(states, {Slice{}, Slice{}, Slice{}, Slice{0, std::ptrdiff_t(H)}}), {2, 0, 1, 3});
}

template <class T>
std::string BasicMDLSTM<T>::describe() const {
  return "MDLSTM(" + std::to_string(input_size_) + " -> " + std::to_string(hidden_size_) +
         (bias_ih.defined() ? ")" : ", no bias)");
}

template class BasicMDLSTM<float>;
template class BasicMDLSTM<double>;

}  // namespace tg::nn
