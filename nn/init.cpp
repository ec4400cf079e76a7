#include "nn/init.hpp"

#include <cmath>

#include "autograd/grad_mode.hpp"

namespace tg::nn::init {
namespace {

// Writes draw() into every element of t, off the tape.
template <class T, class Draw>
BasicTensor<T> fill(BasicTensor<T>& t, Draw draw) {
  NoGradGuard no_grad;
  for (T& x : t.mutable_value()) x = static_cast<T>(draw());
  return t;
}

Fans fans_of(const Shape& shape, const char* op) {
  if (shape.size() < 2)
    throw Error(std::string(op) + ": fan in and fan out need at least 2 dimensions, the tensor has shape " +
                shape_str(shape));
  const Fans fans = calculate_fans(shape);
  if (fans.in == 0 || fans.out == 0)
    throw Error(std::string(op) + ": the tensor of shape " + shape_str(shape) + " has no elements to scale by");
  return fans;
}

double kaiming_std(const Shape& shape, const KaimingOptions& options, const char* op) {
  const Fans fans = fans_of(shape, op);
  const double fan = static_cast<double>(options.mode == FanMode::In ? fans.in : fans.out);
  return calculate_gain(options.nonlinearity, options.a) / std::sqrt(fan);
}

double xavier_std(const Shape& shape, double gain, const char* op) {
  const Fans fans = fans_of(shape, op);
  return gain * std::sqrt(2.0 / static_cast<double>(fans.in + fans.out));
}

}  // namespace

double calculate_gain(Nonlinearity nonlinearity, double param) {
  switch (nonlinearity) {
    case Nonlinearity::Linear:
    case Nonlinearity::Sigmoid: return 1.0;
    case Nonlinearity::Tanh: return 5.0 / 3.0;
    case Nonlinearity::ReLU: return std::sqrt(2.0);
    case Nonlinearity::LeakyReLU: return std::sqrt(2.0 / (1.0 + param * param));
  }
  throw Error("calculate_gain: unknown nonlinearity");
}

Fans calculate_fans(const Shape& shape) {
  if (shape.size() < 2) throw Error("calculate_fans: need at least 2 dimensions, got shape " + shape_str(shape));
  std::size_t receptive = 1;
  for (std::size_t d = 2; d < shape.size(); ++d) receptive *= shape[d];
  return {shape[1] * receptive, shape[0] * receptive};
}

template <class T>
BasicTensor<T> uniform_(BasicTensor<T> t, double lo, double hi, Generator& gen) {
  if (!(lo <= hi)) throw Error("uniform_: lo " + std::to_string(lo) + " is greater than hi " + std::to_string(hi));
  return fill(t, [&] { return lo + (hi - lo) * gen.uniform(); });
}

template <class T>
BasicTensor<T> normal_(BasicTensor<T> t, double mean, double std, Generator& gen) {
  if (!(std >= 0)) throw Error("normal_: std must not be negative, got " + std::to_string(std));
  return fill(t, [&] { return mean + std * gen.normal(); });
}

template <class T>
BasicTensor<T> constant_(BasicTensor<T> t, double value) {
  return fill(t, [value] { return value; });
}

template <class T>
BasicTensor<T> zeros_(BasicTensor<T> t) { return constant_(std::move(t), 0.0); }
template <class T>
BasicTensor<T> ones_(BasicTensor<T> t) { return constant_(std::move(t), 1.0); }

template <class T>
BasicTensor<T> xavier_uniform_(BasicTensor<T> t, double gain, Generator& gen) {
  const double bound = std::sqrt(3.0) * xavier_std(t.shape(), gain, "xavier_uniform_");
  return uniform_(std::move(t), -bound, bound, gen);
}

template <class T>
BasicTensor<T> xavier_normal_(BasicTensor<T> t, double gain, Generator& gen) {
  const double std = xavier_std(t.shape(), gain, "xavier_normal_");
  return normal_(std::move(t), 0.0, std, gen);
}

template <class T>
BasicTensor<T> kaiming_uniform_(BasicTensor<T> t, const KaimingOptions& options, Generator& gen) {
  const double bound = std::sqrt(3.0) * kaiming_std(t.shape(), options, "kaiming_uniform_");
  return uniform_(std::move(t), -bound, bound, gen);
}

template <class T>
BasicTensor<T> kaiming_normal_(BasicTensor<T> t, const KaimingOptions& options, Generator& gen) {
  const double std = kaiming_std(t.shape(), options, "kaiming_normal_");
  return normal_(std::move(t), 0.0, std, gen);
}

#define TG_INSTANTIATE(T)                                                                       \
  template BasicTensor<T> uniform_(BasicTensor<T>, double, double, Generator&);                 \
  template BasicTensor<T> normal_(BasicTensor<T>, double, double, Generator&);                  \
  template BasicTensor<T> constant_(BasicTensor<T>, double);                                    \
  template BasicTensor<T> zeros_(BasicTensor<T>);                                               \
  template BasicTensor<T> ones_(BasicTensor<T>);                                                \
  template BasicTensor<T> xavier_uniform_(BasicTensor<T>, double, Generator&);                  \
  template BasicTensor<T> xavier_normal_(BasicTensor<T>, double, Generator&);                   \
  template BasicTensor<T> kaiming_uniform_(BasicTensor<T>, const KaimingOptions&, Generator&);  \
  template BasicTensor<T> kaiming_normal_(BasicTensor<T>, const KaimingOptions&, Generator&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg::nn::init
