#include "nn/data/data_loader.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "autograd/shape.hpp"
#include "nn/data/rows.hpp"

namespace tg::nn {

namespace {

std::size_t sample_count(const xt::xarray<float>& targets) { return targets.dimension() ? targets.shape()[0] : 0; }
std::size_t sample_count(const Labels& labels) { return labels.size(); }

std::string describe(const xt::xarray<float>& targets) { return "targets have shape " + shape_str(targets.shape()); }
std::string describe(const Labels& labels) { return "there are " + std::to_string(labels.size()) + " labels"; }

Tensor gather_targets(const xt::xarray<float>& targets, std::span<const std::size_t> indices) {
  return Tensor::from(gather_rows(targets, indices));
}

Labels gather_targets(const Labels& labels, std::span<const std::size_t> indices) {
  return gather_labels(labels, indices);
}

// The number of samples, and batches made by copying rows of the arrays (shared by copies of the loader).
template <class Targets>
std::pair<std::size_t, typename DataLoader<Targets>::MakeBatch> in_memory(xt::xarray<float> inputs, Targets targets) {
  if (inputs.dimension() == 0) throw Error("DataLoader: inputs must have a sample axis, got a scalar");
  const std::size_t size = inputs.shape()[0];
  if (sample_count(targets) != size)
    throw Error("DataLoader: inputs have shape " + shape_str(inputs.shape()) + " (" + std::to_string(size) +
                " samples) but " + describe(targets));
  auto data = std::make_shared<const std::pair<xt::xarray<float>, Targets>>(std::move(inputs), std::move(targets));
  return {size, [data](std::span<const std::size_t> indices) {
            return Batch<Targets>{Tensor::from(gather_rows(data->first, indices)), gather_targets(data->second, indices)};
          }};
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
    : DataLoader(in_memory(std::move(inputs), std::move(targets)), options) {}

template <class Targets>
DataLoader<Targets>::DataLoader(std::pair<std::size_t, MakeBatch> source, LoaderOptions options)
    : DataLoader(source.first, std::move(source.second), options) {}

template <class Targets>
DataLoader<Targets>::DataLoader(std::size_t size, MakeBatch make_batch, LoaderOptions options)
    : make_batch_(std::move(make_batch)), options_(options), size_(size) {
  if (options_.batch_size == 0) throw Error("DataLoader: batch_size must be at least 1");
  if (!make_batch_) throw Error("DataLoader: no function to make batches");
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
std::span<const std::size_t> DataLoader<Targets>::Epoch::indices(std::size_t b) const {
  const std::size_t batch_size = loader_->options_.batch_size;
  const std::size_t begin = b * batch_size;
  if (b >= size()) throw Error("DataLoader: batch " + std::to_string(b) + " out of range for " +
                               std::to_string(size()) + " batches");
  return std::span(order_).subspan(begin, std::min(batch_size, order_.size() - begin));
}

template <class Targets>
typename DataLoader<Targets>::Batch DataLoader<Targets>::Epoch::batch(std::size_t b) const {
  return loader_->batch(indices(b));
}

template class DataLoader<xt::xarray<float>>;
template class DataLoader<Labels>;

}  // namespace tg::nn
