#pragma once
// What the tg::dist test cases share: a small model, data that is the same on every rank, and
// comparisons of the ranks' replicas.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <xtensor/xview.hpp>

#include "tapegrad.hpp"

namespace tg::testing {

inline int rank() { return tg::dist::rank(); }
inline int ranks() { return tg::dist::world_size(); }

inline tg::nn::Sequential small_net(std::uint64_t seed) {
  tg::nn::manual_seed(seed);
  return tg::nn::Sequential(tg::nn::Linear(4, 8), tg::nn::Tanh(), tg::nn::Linear(8, 3));
}

// Inputs (rows, 4) and targets (rows, 3) of training step `step`, the same on every rank.
inline xt::xarray<float> wave(std::size_t step, std::size_t rows, std::size_t columns, double phase) {
  xt::xarray<float> a = xt::xarray<float>::from_shape({rows, columns});
  for (std::size_t i = 0; i < a.size(); ++i)
    a.flat(i) = static_cast<float>(std::sin(phase + 0.37 * double(step * 97 + i)));
  return a;
}

// Rows [begin, end) of the batch that rank r of n takes: contiguous, sizes differing by one at most.
inline std::pair<std::size_t, std::size_t> shard(std::size_t rows, int r, int n) {
  return {rows * std::size_t(r) / std::size_t(n), rows * std::size_t(r + 1) / std::size_t(n)};
}

inline xt::xarray<float> rows_of(const xt::xarray<float>& a, std::pair<std::size_t, std::size_t> range) {
  return xt::view(a, xt::range(range.first, range.second));
}

inline float max_difference(const tg::nn::Module& a, const tg::nn::Module& b) {
  float worst = 0;
  const auto pa = a.parameters(), pb = b.parameters();
  for (std::size_t i = 0; i < pa.size(); ++i)
    worst = std::max(worst, xt::amax(xt::abs(pa[i].value() - pb[i].value()))());
  return worst;
}

// True on every rank when every rank holds exactly rank 0's values.
inline bool same_on_every_rank(const tg::nn::Module& model) {
  bool same = true;
  for (const auto& p : model.parameters()) {
    tg::Tensor roots = tg::Tensor::from(p.value());
    tg::dist::broadcast(roots, 0);
    same = same && roots.value() == p.value();
  }
  tg::Tensor all_same = tg::Tensor::from(xt::xarray<float>{same ? 1.0f : 0.0f});
  tg::dist::all_reduce(all_same);
  return all_same.item() == float(ranks());
}

}  // namespace tg::testing
