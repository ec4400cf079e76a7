#pragma once
// Sequential: modules applied one after another, named "0", "1", ... in the order added.
//
//   tg::nn::Sequential net(tg::nn::Linear(784, 100), tg::nn::Sigmoid(), tg::nn::Linear(100, 10));
#include <memory>
#include <type_traits>

#include "nn/module.hpp"

namespace tg::nn {

template <class T>
class BasicSequential : public BasicModule<T> {
 public:
  BasicSequential() = default;
  // Each argument is a module (moved in) or a shared_ptr to one (shared).
  template <class... Ms>
    requires(sizeof...(Ms) > 0 &&
             !(sizeof...(Ms) == 1 && (std::is_same_v<std::remove_cvref_t<Ms>, BasicSequential> && ...)))
  explicit BasicSequential(Ms&&... modules) {
    (push_back(std::forward<Ms>(modules)), ...);
  }

  template <class M>
    requires std::derived_from<M, BasicModule<T>>
  std::shared_ptr<M> push_back(std::shared_ptr<M> module) {
    auto added = this->register_module(std::to_string(layers_.size()), std::move(module));
    layers_.push_back(added);
    return added;
  }
  template <class M>
    requires std::derived_from<M, BasicModule<T>>
  std::shared_ptr<M> push_back(M module) {
    return push_back(std::make_shared<M>(std::move(module)));
  }

  BasicTensor<T> forward(const BasicTensor<T>& x) override;
  std::string name() const override { return "Sequential"; }

  std::size_t size() const { return layers_.size(); }
  bool empty() const { return layers_.empty(); }
  const std::shared_ptr<BasicModule<T>>& operator[](std::size_t i) const;  // throws when i >= size()

 private:
  std::vector<std::shared_ptr<BasicModule<T>>> layers_;
};

using Sequential = BasicSequential<float>;

extern template class BasicSequential<float>;
extern template class BasicSequential<double>;

}  // namespace tg::nn
