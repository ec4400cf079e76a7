#pragma once
// What the numpy tutorials rebuilt in examples/ share: numpy's random numbers and their
// plain gradient-descent update.
#include <cstdint>
#include <random>
#include <vector>

#include <xtensor/xarray.hpp>

#include "tapegrad.hpp"

namespace examples {

// numpy's legacy generator, so that examples start from the very weights the tutorials
// printed: np.random.seed(s) seeds MT19937 the way std::mt19937 does, and random() builds a
// double from two 32-bit draws (27 + 26 bits).

class NumpyRandom {
 public:
  explicit NumpyRandom(std::uint32_t seed) : engine_(seed) {}

  double random() {
    const std::uint32_t a = engine_() >> 5, b = engine_() >> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  // np.random.random(shape)
  xt::xarray<double> random(const std::vector<std::size_t>& shape) {
    xt::xarray<double> out = xt::xarray<double>::from_shape(shape);
    for (double& x : out) x = random();
    return out;
  }

 private:
  std::mt19937 engine_;
};

// The tutorials' `w += X.T @ delta` is one step of gradient descent on `loss`, with the
// gradient taken from the tape instead of written by hand.
inline void descend(const tg::TensorD& loss, std::vector<tg::TensorD> weights, double lr) {
  for (auto& w : weights) w.zero_grad();
  loss.backward();
  tg::NoGradGuard no_grad;
  for (auto& w : weights) xt::noalias(w.mutable_value()) -= lr * w.grad().value();  // in place, no temporary
}

}  // namespace examples
