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

Tensor uniform_(Tensor t, double lo = 0.0, double hi = 1.0, Generator& gen = default_generator());
Tensor normal_(Tensor t, double mean = 0.0, double std = 1.0, Generator& gen = default_generator());
Tensor constant_(Tensor t, double value);
Tensor zeros_(Tensor t);
Tensor ones_(Tensor t);

// Glorot: std = gain * sqrt(2 / (fan_in + fan_out)); the uniform bound is sqrt(3) * std.
Tensor xavier_uniform_(Tensor t, double gain = 1.0, Generator& gen = default_generator());
Tensor xavier_normal_(Tensor t, double gain = 1.0, Generator& gen = default_generator());

// He: std = calculate_gain(nonlinearity, a) / sqrt(fan); the uniform bound is sqrt(3) * std.
struct KaimingOptions {
  double a = 0.0;  // the negative slope of a leaky_relu that follows
  FanMode mode = FanMode::In;
  Nonlinearity nonlinearity = Nonlinearity::LeakyReLU;
};
Tensor kaiming_uniform_(Tensor t, const KaimingOptions& options = {}, Generator& gen = default_generator());
Tensor kaiming_normal_(Tensor t, const KaimingOptions& options = {}, Generator& gen = default_generator());

}  // namespace tg::nn::init
