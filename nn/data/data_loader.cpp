#include "nn/data/data_loader.hpp"

#include <algorithm>
#include <string>

#include "autograd/shape.hpp"

namespace tg::nn {

namespace {

std::size_t sample_count(const xt::xarray<float>& targets) { return targets.dimension() ? targets.shape()[0] : 0; }
std::size_t sample_count(const Labels& labels) { return labels.size(); }

std::string describe(const xt::xarray<float>& targets) { return "targets have shape " + shape_str(targets.shape()); }
std::string describe(const Labels& labels) { return "there are " + std::to_string(labels.size()) + " labels"; }

// The rows `indices` of `values` (N, ...), stacked into (count, ...).
xt::xarray<float> gather_rows(const xt::xarray<float>& values, const std::size_t* indices, std::size_t count) {
  auto shape = values.shape();
  const std::size_t row = shape[0] ? values.size() / shape[0] : 0;
  shape[0] = count;
  auto out = xt::xarray<float>::from_shape(shape);
  for (std::size_t i = 0; i < count; ++i)
    std::copy_n(values.data() + indices[i] * row, row, out.data() + i * row);
  return out;
}

Tensor gather_targets(const xt::xarray<float>& targets, const std::size_t* indices, std::size_t count) {
  return Tensor::from(gather_rows(targets, indices, count));
}

Labels gather_targets(const Labels& labels, const std::size_t* indices, std::size_t count) {
  Labels out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = labels[indices[i]];
  return out;
}

}  // namespace

std::uint64_t uniform_below(std::mt19937_64& gen, std::uint64_t bound) {
  // 2^64 mod bound: draws below it are rejected, leaving a whole number of copies of [0, bound).
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t draw = gen();
    if (draw >= threshold) return draw % bound;
  }
}

std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed, std::uint64_t epoch) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  // std::seed_seq's mixing is specified by the standard, so this seeding is portable too.
  std::seed_seq words{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(epoch), static_cast<std::uint32_t>(epoch >> 32)};
  std::mt19937_64 gen(words);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[uniform_below(gen, i)]);
  return order;
}

template <class Targets>
DataLoader<Targets>::DataLoader(xt::xarray<float> inputs, Targets targets, LoaderOptions options)
    : inputs_(std::move(inputs)), targets_(std::move(targets)), options_(options) {
  if (options_.batch_size == 0) throw Error("DataLoader: batch_size must be at least 1");
  if (inputs_.dimension() == 0) throw Error("DataLoader: inputs must have a sample axis, got a scalar");
  size_ = inputs_.shape()[0];
  if (sample_count(targets_) != size_)
    throw Error("DataLoader: inputs have shape " + shape_str(inputs_.shape()) + " (" + std::to_string(size_) +
                " samples) but " + describe(targets_));
}

template <class Targets>
std::size_t DataLoader<Targets>::num_batches() const {
  const std::size_t whole = size_ / options_.batch_size;
  return options_.drop_last || size_ % options_.batch_size == 0 ? whole : whole + 1;
}

template <class Targets>
typename DataLoader<Targets>::Epoch DataLoader<Targets>::epoch(std::uint64_t e) const {
  if (options_.shuffle) return Epoch(this, shuffled_indices(size_, options_.seed, e));
  std::vector<std::size_t> order(size_);
  for (std::size_t i = 0; i < size_; ++i) order[i] = i;
  return Epoch(this, std::move(order));
}

template <class Targets>
typename DataLoader<Targets>::Batch DataLoader<Targets>::Epoch::batch(std::size_t b) const {
  const std::size_t batch_size = loader_->options_.batch_size;
  const std::size_t begin = b * batch_size;
  if (b >= size()) throw Error("DataLoader: batch " + std::to_string(b) + " out of range for " +
                               std::to_string(size()) + " batches");
  return loader_->gather(order_.data() + begin, std::min(batch_size, order_.size() - begin));
}

template <class Targets>
typename DataLoader<Targets>::Batch DataLoader<Targets>::gather(const std::size_t* indices, std::size_t count) const {
  return {Tensor::from(gather_rows(inputs_, indices, count)), gather_targets(targets_, indices, count)};
}

template class DataLoader<xt::xarray<float>>;
template class DataLoader<Labels>;

}  // namespace tg::nn
