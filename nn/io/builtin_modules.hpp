#pragma once
// The factories of the library's own module types, which every registry starts with. Internal
// to nn/io.
#include <map>
#include <string>

#include "nn/io/module_registry.hpp"

namespace tg::nn::detail {

// T = float or double; build_network's networks are float only.
template <class T>
std::map<std::string, BasicModuleFactory<T>> builtin_module_factories();

}  // namespace tg::nn::detail
