#include "nn/state_dict.hpp"

#include "autograd/shape.hpp"

namespace tg::nn {

void StateDict::insert(std::string name, xt::xarray<float> value) {
  if (contains(name)) throw Error("StateDict: the key '" + name + "' is already present");
  index_.emplace(name, entries_.size());
  entries_.emplace_back(std::move(name), std::move(value));
}

const xt::xarray<float>& StateDict::at(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) throw Error("StateDict: no key '" + name + "'");
  return entries_[it->second].second;
}

xt::xarray<float>& StateDict::at(const std::string& name) {
  return const_cast<xt::xarray<float>&>(std::as_const(*this).at(name));
}

std::vector<std::string> StateDict::keys() const {
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const auto& [name, value] : entries_) keys.push_back(name);
  return keys;
}

}  // namespace tg::nn
