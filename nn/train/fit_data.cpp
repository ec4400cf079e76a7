#include "nn/train/fit_data.hpp"

#include <string>

#include <xtensor/xview.hpp>

#include "autograd/shape.hpp"

namespace tg::nn {
namespace {

std::string describe(const Column& column) {
  if (const auto* floats = std::get_if<xt::xarray<float>>(&column)) return "shape " + shape_str(floats->shape());
  if (const auto* doubles = std::get_if<xt::xarray<double>>(&column)) return "shape " + shape_str(doubles->shape());
  return std::to_string(std::get<Labels>(column).size()) + " labels";
}

}  // namespace

std::size_t samples(const Column& column) {
  return std::visit(
      [](const auto& values) -> std::size_t {
        if constexpr (std::is_same_v<std::decay_t<decltype(values)>, Labels>) return values.size();
        else return values.dimension() == 0 ? 0 : values.shape()[0];
      },
      column);
}

std::size_t samples(const Data& data, const char* op, const char* what) {
  if (data.inputs.empty()) throw Error(std::string(op) + ": the " + what + " data has no input column");
  if (data.targets.empty()) throw Error(std::string(op) + ": the " + what + " data has no target column");
  const std::size_t n = samples(data.inputs[0]);
  auto check = [&](const Columns& columns, const char* kind) {
    for (std::size_t k = 0; k < columns.count(); ++k)
      if (samples(columns[k]) != n)
        throw Error(std::string(op) + ": the " + what + " data's input column 0 has " + std::to_string(n) +
                    " samples but " + kind + " column " + std::to_string(k) + " has " +
                    std::to_string(samples(columns[k])) + " (" + describe(columns[k]) + ")");
  };
  check(data.inputs, "input");
  check(data.targets, "target");
  return n;
}

Data rows(const Data& data, std::size_t begin, std::size_t end) {
  auto cut = [&](const Columns& columns) {
    std::vector<Column> out;
    for (const Column& column : columns)
      out.push_back(std::visit(
          [&](const auto& c) -> Column {
            if constexpr (std::is_same_v<std::decay_t<decltype(c)>, Labels>)
              return Labels(c.begin() + static_cast<std::ptrdiff_t>(begin), c.begin() + static_cast<std::ptrdiff_t>(end));
            else return std::decay_t<decltype(c)>(xt::view(c, xt::range(begin, end)));
          },
          column));
    return Columns(std::move(out));
  };
  return {cut(data.inputs), cut(data.targets)};
}

}  // namespace tg::nn
