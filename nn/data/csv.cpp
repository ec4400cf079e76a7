#include "nn/data/csv.hpp"

#include <charconv>
#include <string_view>
#include <vector>

#include "autograd/error.hpp"
#include "nn/data/read_file.hpp"

namespace tg::nn {

namespace {

constexpr std::size_t side = 28;
constexpr std::size_t pixels_per_image = side * side;
constexpr std::size_t num_classes = 10;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_fields(std::string_view row) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto comma = row.find(',');
    fields.push_back(trim(row.substr(0, comma)));
    if (comma == std::string_view::npos) return fields;
    row.remove_prefix(comma + 1);
  }
}

// Where a field sits, for error messages that name the file, line and column.
struct Position {
  const std::filesystem::path& path;
  std::size_t line;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error("read_mnist_csv: " + path.string() + ": line " + std::to_string(line) + ": " + what);
  }

  // The field as an integer in [0, limit); `kind` is "label" or "pixel".
  std::size_t integer(std::string_view field, std::size_t column, std::size_t limit, const char* kind) const {
    const auto where = [&] {
      return " at column " + std::to_string(column) + " (expected a " + kind + " 0.." + std::to_string(limit - 1) + ")";
    };
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
    if (field.empty() || ec != std::errc() || end != field.data() + field.size())
      fail("bad field '" + std::string(field) + "'" + where());
    if (value >= limit) fail(std::string(kind) + " " + std::to_string(value) + " out of range" + where());
    return value;
  }
};

}  // namespace

MnistSet read_mnist_csv(const std::filesystem::path& path, const MnistOptions& options) {
  const std::string text = read_file(path, "read_mnist_csv");
  std::vector<float> pixels;
  Labels labels;

  std::string_view rest = text;
  for (std::size_t line = 1; !rest.empty(); ++line) {
    const auto newline = rest.find('\n');
    const std::string_view row = trim(rest.substr(0, newline));
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    if (row.empty() || (line == 1 && row.starts_with("label"))) continue;

    const Position at{path, line};
    const auto fields = split_fields(row);
    if (fields.size() != 1 + pixels_per_image)
      at.fail(std::to_string(fields.size()) + " fields, expected " + std::to_string(1 + pixels_per_image) +
              " (a label and " + std::to_string(pixels_per_image) + " pixels)");
    labels.push_back(at.integer(fields[0], 1, num_classes, "label"));
    for (std::size_t c = 1; c < fields.size(); ++c)
      pixels.push_back(static_cast<float>(at.integer(fields[c], c + 1, 256, "pixel")) / 255.0f);
  }

  const std::size_t count = labels.size();
  if (count == 0) throw Error("read_mnist_csv: " + path.string() + ": no images (" +
                              (text.empty() ? "the file is empty)" : "only blank or header lines)"));
  auto images = options.flatten ? xt::xarray<float>::from_shape({count, pixels_per_image})
                                 : xt::xarray<float>::from_shape({count, side, side});
  std::copy(pixels.begin(), pixels.end(), images.begin());
  return {std::move(images), std::move(labels)};
}

}  // namespace tg::nn
