#pragma once
// The C++ name of a type, demangled: what errors and summaries call a user's class.
#include <string>
#include <type_traits>
#include <typeinfo>

namespace tg::nn {

// "tg::optim::Adam", "(anonymous namespace)::Net".
std::string type_name(const std::type_info& type);
// The name without its namespaces or enclosing classes and functions: "Adam", "Net".
std::string short_type_name(const std::type_info& type);

// "float" or "double": a model's element type, in errors.
template <class T>
constexpr const char* element_type_name() {
  return std::is_same_v<T, float> ? "float" : "double";
}

}  // namespace tg::nn
