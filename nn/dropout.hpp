#pragma once
// Dropout: in training, zeroes each element with probability p and scales the survivors by
// 1 / (1 - p) (inverted dropout), so evaluation is the identity.
#include <cstdint>
#include <optional>

#include "autograd/random.hpp"
#include "nn/module.hpp"

namespace tg::nn {

// x times a constant mask drawn from `gen`; x itself when not training or p = 0.
template <class T>
BasicTensor<T> dropout(const BasicTensor<T>& x, double p, bool training, Generator& gen);

template <class T>
class BasicDropout : public BasicModule<T> {
 public:
  // The mask generator is seeded with `seed`, or else from the default generator
  // (tg::nn::manual_seed), so a model built after manual_seed drops the same elements every run.
  explicit BasicDropout(double p = 0.5, std::optional<std::uint64_t> seed = std::nullopt);

  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Dropout"; }
  std::string describe() const override;  // "Dropout(p=0.5)"
  double p() const { return p_; }
  std::string extra_state() const override { return gen_.state(); }  // the mask generator
  void set_extra_state(const std::string& state) override { gen_.set_state(state); }

 private:
  double p_;
  Generator gen_;
};

using Dropout = BasicDropout<float>;

extern template class BasicDropout<float>;
extern template class BasicDropout<double>;

}  // namespace tg::nn
