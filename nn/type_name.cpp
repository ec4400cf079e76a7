#include "nn/type_name.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace tg::nn {

std::string type_name(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                         std::free);
  return status == 0 && demangled ? demangled.get() : type.name();
}

std::string short_type_name(const std::type_info& type) {
  const std::string full = type_name(type);
  // The last "::" outside template arguments and parameter lists starts the name itself.
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i + 1 < full.size(); ++i) {
    if (full[i] == '<' || full[i] == '(') ++depth;
    else if (full[i] == '>' || full[i] == ')') --depth;
    else if (depth == 0 && full[i] == ':' && full[i + 1] == ':') start = i + 2;
  }
  return full.substr(start);
}

}  // namespace tg::nn
