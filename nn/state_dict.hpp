#pragma once
// A module's saved state: named arrays (parameters and buffers) in the module's order, with
// lookup by name. What load_state_dict reads and what a checkpoint file stores.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

namespace tg::nn {

// T = float or double, the element type of the module it comes from.
template <class T>
class BasicStateDict {
 public:
  using Entry = std::pair<std::string, xt::xarray<T>>;

  // Appends an entry; a name already present is an error.
  void insert(std::string name, xt::xarray<T> value);
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  // Throws naming the key when it is absent.
  const xt::xarray<T>& at(const std::string& name) const;
  xt::xarray<T>& at(const std::string& name);

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<std::string> keys() const;
  typename std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  typename std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

using StateDict = BasicStateDict<float>;

extern template class BasicStateDict<float>;
extern template class BasicStateDict<double>;

}  // namespace tg::nn
