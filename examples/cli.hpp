#pragma once
// Command-line options of the examples, parsed by CLI11: --help, --name value, --name=value and
// value-less --flags; an option whose default is a number takes only numbers, one whose default is
// yes/no only yes or no. --help and a bad command line print CLI11's message and end the program.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace examples {

class Args {
 public:
  // `defaults` and `flags` name every accepted option; anything else is refused.
  Args(int argc, char** argv, std::map<std::string, std::string> defaults, std::set<std::string> flags = {},
       const std::string& description = "")
      : values_(std::move(defaults)) {
    CLI::App app(description);
    for (auto& [name, value] : values_) {
      auto* option = app.add_option("--" + name, value)->capture_default_str();
      if (is_number(value)) option->type_name("NUMBER")->check(CLI::Validator(CLI::Number).description(""));
      if (value == "yes" || value == "no") option->type_name("yes|no")->check(CLI::Validator(CLI::IsMember({"yes", "no"})).description(""));
    }
    for (const auto& name : flags) app.add_flag("--" + name, flags_[name]);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      std::exit(app.exit(e));
    }
  }
  std::string str(const std::string& key) const { return values_.at(key); }
  double number(const std::string& key) const {
    if (!is_number(values_.at(key))) throw std::invalid_argument("--" + key + " needs a number, got '" + str(key) + "'");
    return std::stod(values_.at(key));
  }
  // A whole number >= 0 (a size, a count of epochs, a seed).
  std::size_t count(const std::string& key) const {
    const double v = number(key);
    if (v < 0 || v != std::floor(v) || v >= 1e18)
      throw std::invalid_argument("--" + key + " needs a whole number >= 0, got '" + str(key) + "'");
    return static_cast<std::size_t>(v);
  }
  bool flag(const std::string& key) const { return flags_.at(key); }

 private:
  static bool is_number(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    return !text.empty() && *end == '\0' && std::isfinite(v);
  }
  std::map<std::string, std::string> values_;
  std::map<std::string, bool> flags_;
};

// For the examples without options: --help says what the program does, anything else is refused.
inline void describe(int argc, char** argv, const std::string& description) { Args(argc, argv, {}, {}, description); }

}  // namespace examples
