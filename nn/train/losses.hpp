#pragma once
// The losses fit() and evaluate() minimize and report: one for a model's only output, one for
// every output, or one per output, summed.
//   tg::nn::fit(model, tg::nn::CrossEntropyLoss{}, optimizer, {x, labels});
//   tg::nn::fit(two_outputs, {tg::nn::MSELoss{}, tg::nn::CrossEntropyLoss{}}, optimizer, {x, {y, labels}});
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <type_traits>
#include <vector>

#include "nn/train/target_function.hpp"

namespace tg::nn {

// A loss's value for a batch: a scalar tensor, differentiated by fit.
using LossFunction = TargetFunction<BasicTensor>;

class Losses {
 public:
  template <class F>
    requires(!std::same_as<std::decay_t<F>, Losses>)
  Losses(F loss) : losses_{LossFunction(std::move(loss))} {}
  Losses(std::initializer_list<LossFunction> per_output) : losses_(per_output) {}

  std::size_t size() const { return losses_.size(); }
  // The loss of output `k` of `outputs`: the only one when there is one.
  const LossFunction& of(std::size_t k) const { return losses_.size() == 1 ? losses_[0] : losses_.at(k); }

 private:
  std::vector<LossFunction> losses_;
};

}  // namespace tg::nn
