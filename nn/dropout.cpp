#include "nn/dropout.hpp"

#include <sstream>

#include "nn/default_generator.hpp"
#include "ops/arithmetic.hpp"

namespace tg::nn {
namespace {

void check_probability(double p) {
  if (!(p >= 0.0 && p <= 1.0)) throw Error("dropout: p must lie in [0, 1], got " + std::to_string(p));
}

}  // namespace

template <class T>
BasicTensor<T> dropout(const BasicTensor<T>& x, double p, bool training, Generator& gen) {
  check_probability(p);
  if (!training || p == 0.0) return x;
  // With p = 1 every element is dropped and nothing survives to be scaled.
  const T keep_scale = p < 1.0 ? static_cast<T>(1.0 / (1.0 - p)) : T(0);
  xt::xarray<T> mask = xt::xarray<T>::from_shape(x.value().shape());
  for (T& m : mask) m = gen.uniform() < p ? T(0) : keep_scale;
  return x * make_tensor<T>(std::move(mask));
}

template BasicTensor<float> dropout(const BasicTensor<float>&, double, bool, Generator&);
template BasicTensor<double> dropout(const BasicTensor<double>&, double, bool, Generator&);

template <class T>
BasicDropout<T>::BasicDropout(double p, std::optional<std::uint64_t> seed)
    : p_(p), gen_(seed ? *seed : default_generator().next()) {
  check_probability(p);
}

template <class T>
BasicTensor<T> BasicDropout<T>::forward(const BasicTensor<T>& x) {
  return dropout(x, p_, this->is_training(), gen_);
}

template <class T>
std::string BasicDropout<T>::describe() const {
  std::ostringstream s;
  s << "Dropout(p=" << p_ << ")";
  return s.str();
}

template class BasicDropout<float>;
template class BasicDropout<double>;

}  // namespace tg::nn
