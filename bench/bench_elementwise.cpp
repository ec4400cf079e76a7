// Elementwise operations on square matrices of 1 Ki, 64 Ki and 1 Mi elements: unary, binary on
// equal shapes, and binary with a broadcast row (N, M) op (M) or column (N, M) op (N, 1).
#include <string>
#include <vector>

#include "bench/micro.hpp"

namespace {

[[maybe_unused]] const bool registered = [] {
  const std::vector<std::pair<std::string, bench::Op>> unary = {
      {"exp", [](const auto& x) { return tg::exp(x[0]); }},
      {"tanh", [](const auto& x) { return tg::tanh(x[0]); }},
      {"sigmoid", [](const auto& x) { return tg::sigmoid(x[0]); }},
      {"relu", [](const auto& x) { return tg::relu(x[0]); }},
  };
  const std::vector<std::pair<std::string, bench::Op>> binary = {
      {"add", [](const auto& x) { return x[0] + x[1]; }},
      {"mul", [](const auto& x) { return x[0] * x[1]; }},
  };
  for (const std::size_t side : {32, 256, 1024}) {
    const tg::Shape matrix{side, side};
    const double n = double(side * side);
    const std::string size = std::to_string(side * side);
    for (const auto& [name, op] : unary)
      bench::register_op("elementwise/" + name + "/" + size, op, {bench::input(matrix)}, n);
    for (const auto& [name, op] : binary) {
      bench::register_op("elementwise/" + name + "/" + size, op, {bench::input(matrix), bench::input(matrix)}, n);
      bench::register_op("elementwise/" + name + "_row/" + size, op, {bench::input(matrix), bench::input({side})}, n);
      bench::register_op("elementwise/" + name + "_column/" + size, op, {bench::input(matrix), bench::input({side, 1})},
                         n);
    }
  }
  return true;
}();

}  // namespace
