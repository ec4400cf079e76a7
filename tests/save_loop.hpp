#pragma once
// The checkpoint tests/save_loop.cpp saves over and over while test_saves kills it, and how a
// test checks what it loads: every weight of a save holds one value, set by its epoch.
#include <cstddef>
#include <string>

#include <xtensor/xsort.hpp>

#include "tapegrad.hpp"

namespace tg::testing {

// 16 MiB of weights: a save takes long enough to be killed in the middle.
inline nn::Linear big_model() { return nn::Linear(2048, 2048, /*bias=*/true); }

inline float value_of(std::size_t epoch) { return static_cast<float>(epoch % 65536); }

inline void fill(nn::Module& model, float value) {
  NoGradGuard no_grad;
  for (Tensor& p : model.parameters()) p.mutable_value().fill(value);
}

// Loads the checkpoint at `path` into `model` and returns its epoch; throws tg::Error when the
// file is damaged, and when any weight differs from value_of(epoch) (a mix of two saves).
inline std::size_t load_whole(const std::string& path, nn::Module& model, optim::Optimizer& optimizer) {
  const std::size_t epoch = nn::load_checkpoint(path, model, optimizer).epoch;
  for (const Tensor& p : model.parameters())
    if (xt::amin(p.value())() != value_of(epoch) || xt::amax(p.value())() != value_of(epoch))
      throw Error(path + ": epoch " + std::to_string(epoch) + " holds weights of another save");
  return epoch;
}

}  // namespace tg::testing
