#pragma once
// Initializers in the manner of torch.nn.init: each fills a tensor's value in place (recording
// nothing, bumping its version) from a seeded generator, and returns the same handle.
//
//   tg::nn::init::kaiming_normal_(fc.weight, {.nonlinearity = tg::nn::init::Nonlinearity::ReLU}, gen);
#include <cstddef>

#include "autograd/tensor.hpp"
#include "nn/default_generator.hpp"

namespace tg::nn::init {

enum class Nonlinearity { Linear, Sigmoid, Tanh, ReLU, LeakyReLU };
enum class FanMode { In, Out };

// torch.nn.init.calculate_gain: 1 for linear and sigmoid, 5/3 for tanh, sqrt(2) for relu and
// sqrt(2 / (1 + slope^2)) for leaky_relu, whose negative slope is `param`.
double calculate_gain(Nonlinearity nonlinearity, double param = 0.01);

// For a weight of shape (out, in, k...): fan_in = in * k..., fan_out = out * k...
struct Fans {
  std::size_t in;
  std::size_t out;
};
Fans calculate_fans(const Shape& shape);

// Each works on float and double tensors (T = float or double), drawing in double.
template <class T>
BasicTensor<T> uniform_(BasicTensor<T> t, double lo = 0.0, double hi = 1.0, Generator& gen = default_generator());
template <class T>
BasicTensor<T> normal_(BasicTensor<T> t, double mean = 0.0, double std = 1.0, Generator& gen = default_generator());
template <class T>
BasicTensor<T> constant_(BasicTensor<T> t, double value);
template <class T>
BasicTensor<T> zeros_(BasicTensor<T> t);
template <class T>
BasicTensor<T> ones_(BasicTensor<T> t);

// Glorot: std = gain * sqrt(2 / (fan_in + fan_out)); the uniform bound is sqrt(3) * std.
template <class T>
BasicTensor<T> xavier_uniform_(BasicTensor<T> t, double gain = 1.0, Generator& gen = default_generator());
template <class T>
BasicTensor<T> xavier_normal_(BasicTensor<T> t, double gain = 1.0, Generator& gen = default_generator());

// He: std = calculate_gain(nonlinearity, a) / sqrt(fan); the uniform bound is sqrt(3) * std.
struct KaimingOptions {
  double a = 0.0;  // the negative slope of a leaky_relu that follows
  FanMode mode = FanMode::In;
  Nonlinearity nonlinearity = Nonlinearity::LeakyReLU;
};
template <class T>
BasicTensor<T> kaiming_uniform_(BasicTensor<T> t, const KaimingOptions& options = {},
                                Generator& gen = default_generator());
template <class T>
BasicTensor<T> kaiming_normal_(BasicTensor<T> t, const KaimingOptions& options = {},
                               Generator& gen = default_generator());

}  // namespace tg::nn::init
