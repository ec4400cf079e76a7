#pragma once
// Reading and setting a module's parameters by name, for tests that work numbers out by hand.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <string>
#include <utility>

#include "tapegrad.hpp"

namespace tg::testing {

// Replaces the value of parameter `name`, which must have value's shape.
inline void set_parameter(nn::Module& module, const std::string& name, xt::xarray<float> value) {
  NoGradGuard no_grad;
  for (auto& [n, tensor] : module.named_parameters())
    if (n == name) {
      BOOST_REQUIRE(tensor.value().shape() == value.shape());
      tensor.mutable_value() = std::move(value);
      return;
    }
  BOOST_FAIL("no parameter " + name);
}

// Value i of parameter `name`, in row-major order.
inline float parameter(const nn::Module& module, const std::string& name, std::size_t i = 0) {
  for (const auto& [n, tensor] : module.named_parameters())
    if (n == name) return tensor.value().flat(i);
  BOOST_FAIL("no parameter " + name);
  return 0;
}

}  // namespace tg::testing
