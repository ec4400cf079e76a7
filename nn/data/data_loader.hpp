#pragma once
// Mini-batches over (inputs, targets) with seeded shuffling that gives the same order on every
// machine: std::mt19937_64 is fully specified, and the shuffle draws its own uniform integers
// rather than use std::uniform_int_distribution, whose algorithm each library chooses.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <random>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/tensor.hpp"
#include "nn/labels.hpp"

namespace tg::nn {

struct LoaderOptions {
  std::size_t batch_size = 1;
  bool shuffle = false;
  std::uint64_t seed = 0;  // epoch e's order depends only on (seed, e)
  bool drop_last = false;  // leave out the last batch when it is smaller than batch_size
};

// A uniform integer in [0, bound): rejection sampling on 64-bit draws, so no value is favoured.
std::uint64_t uniform_below(std::mt19937_64& gen, std::uint64_t bound);

// 0..n-1 in the order of epoch `epoch`: a Fisher-Yates shuffle seeded by (seed, epoch).
std::vector<std::size_t> shuffled_indices(std::size_t n, std::uint64_t seed, std::uint64_t epoch);

// What a batch holds for each kind of targets: a tensor of rows, or integer class labels.
template <class Targets>
struct BatchTargets;
template <>
struct BatchTargets<xt::xarray<float>> {
  using type = Tensor;
};
template <>
struct BatchTargets<Labels> {
  using type = Labels;
};

template <class Targets>
struct Batch {
  Tensor inputs;                                 // (B, ...) rows of the inputs
  typename BatchTargets<Targets>::type targets;  // (B, ...) rows of the targets, or B labels
};

// Iterating the loader runs one epoch: epoch 0 the first time, then 1, ..., each with its own
// order when shuffling. `epoch(e)` gives the batches of any epoch directly. A loader holds its
// samples in memory, or makes each batch when it is asked for (a data set larger than memory).
template <class Targets>
class DataLoader {
  static_assert(std::is_same_v<Targets, xt::xarray<float>> || std::is_same_v<Targets, Labels>,
                "DataLoader targets are an xt::xarray<float> or tg::Labels");

 public:
  using Batch = nn::Batch<Targets>;

  class Epoch;
  class Iterator {
   public:
    using value_type = Batch;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const Epoch* epoch, std::size_t batch) : epoch_(epoch), batch_(batch) {}
    Batch operator*() const { return epoch_->batch(batch_); }
    Iterator& operator++() { ++batch_; return *this; }
    Iterator operator++(int) { auto old = *this; ++batch_; return old; }
    bool operator==(const Iterator& other) const { return batch_ == other.batch_; }

   private:
    const Epoch* epoch_ = nullptr;
    std::size_t batch_ = 0;
  };

  class Epoch {
   public:
    Epoch(const DataLoader* loader, std::vector<std::size_t> order) : loader_(loader), order_(std::move(order)) {}
    const std::vector<std::size_t>& order() const { return order_; }  // sample indices, batch after batch
    std::size_t size() const { return loader_->num_batches(); }
    std::span<const std::size_t> indices(std::size_t b) const;  // batch b's samples
    Batch batch(std::size_t b) const;
    Iterator begin() const { return {this, 0}; }
    Iterator end() const { return {this, size()}; }

   private:
    const DataLoader* loader_;
    std::vector<std::size_t> order_;
  };

  // Makes the batch of the samples `indices` (each below the loader's size), in that order.
  using MakeBatch = std::function<Batch(std::span<const std::size_t> indices)>;

  DataLoader(xt::xarray<float> inputs, Targets targets, LoaderOptions options = {});
  DataLoader(std::size_t size, MakeBatch make_batch, LoaderOptions options = {});

  std::size_t size() const { return size_; }  // samples
  std::size_t num_batches() const;            // per epoch
  const LoaderOptions& options() const { return options_; }

  Epoch epoch(std::uint64_t e) const;
  // The batch of the samples `indices`, in that order (data-parallel fit takes its share of each).
  Batch batch(std::span<const std::size_t> indices) const { return make_batch_(indices); }

  Iterator begin() {
    current_ = epoch(next_epoch_++);
    return current_.begin();
  }
  Iterator end() const { return {&current_, num_batches()}; }

 private:
  DataLoader(std::pair<std::size_t, MakeBatch> source, LoaderOptions options);

  MakeBatch make_batch_;
  LoaderOptions options_;
  std::size_t size_;
  std::uint64_t next_epoch_ = 0;
  Epoch current_{this, {}};
};

extern template class DataLoader<xt::xarray<float>>;
extern template class DataLoader<Labels>;

}  // namespace tg::nn
