#pragma once
// An in-memory supervised dataset in the spirit of PyBrain's SupervisedDataSet(indim, outdim):
// samples are added one at a time, then read back one by one or as (N, dim) matrices.
//
//   tg::nn::SupervisedDataSet ds(2, 1);
//   ds.add_sample({0, 1}, {1});
//   for (const auto& [input, target] : ds) ...   // PyBrain: for inpt, target in ds
//   xt::xarray<float> x = ds["input"];            // (N, 2); ds["target"] is (N, 1)
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

namespace tg::nn {

class SupervisedDataSet {
 public:
  struct Sample {
    xt::xarray<float> input;   // (input_dim)
    xt::xarray<float> target;  // (target_dim)
  };

  class Iterator {
   public:
    using value_type = Sample;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const SupervisedDataSet* set, std::size_t index) : set_(set), index_(index) {}
    Sample operator*() const { return set_->sample(index_); }
    Iterator& operator++() { ++index_; return *this; }
    Iterator operator++(int) { auto old = *this; ++index_; return old; }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const SupervisedDataSet* set_ = nullptr;
    std::size_t index_ = 0;
  };

  SupervisedDataSet(std::size_t input_dim, std::size_t target_dim);

  // Each array must hold exactly input_dim / target_dim values (any shape; read row-major).
  void add_sample(const xt::xarray<float>& input, const xt::xarray<float>& target);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t input_dim() const { return input_dim_; }
  std::size_t target_dim() const { return target_dim_; }

  Sample sample(std::size_t index) const;  // throws when index >= size()
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size_}; }

  xt::xarray<float> inputs() const;   // (size, input_dim)
  xt::xarray<float> targets() const;  // (size, target_dim)
  // PyBrain's fields: "input" is inputs(), "target" targets(); another name is a tg::Error.
  xt::xarray<float> operator[](const std::string& field) const;

  // PyBrain's splitWithProportion: a random int(size * proportion) of the samples (drawn with
  // `seed`) and the others, each in the order they were added.
  std::pair<SupervisedDataSet, SupervisedDataSet> split_with_proportion(double proportion, std::uint64_t seed) const;

  void clear();

 private:
  std::size_t input_dim_;
  std::size_t target_dim_;
  std::size_t size_ = 0;
  std::vector<float> inputs_;   // row-major (size, input_dim)
  std::vector<float> targets_;  // row-major (size, target_dim)
};

}  // namespace tg::nn
