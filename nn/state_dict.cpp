#include "nn/state_dict.hpp"

#include "autograd/shape.hpp"

namespace tg::nn {

template <class T>
void BasicStateDict<T>::insert(std::string name, xt::xarray<T> value) {
  if (contains(name)) throw Error("StateDict: the key '" + name + "' is already present");
  index_.emplace(name, entries_.size());
  entries_.emplace_back(std::move(name), std::move(value));
}

template <class T>
const xt::xarray<T>& BasicStateDict<T>::at(const std::string& name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) throw Error("StateDict: no key '" + name + "'");
  return entries_[it->second].second;
}

template <class T>
xt::xarray<T>& BasicStateDict<T>::at(const std::string& name) {
  return const_cast<xt::xarray<T>&>(std::as_const(*this).at(name));
}

template <class T>
std::vector<std::string> BasicStateDict<T>::keys() const {
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const auto& [name, value] : entries_) keys.push_back(name);
  return keys;
}

template class BasicStateDict<float>;
template class BasicStateDict<double>;

}  // namespace tg::nn
