#pragma once
// Command-line options of the examples: --name value pairs with defaults, and a usage line.
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>

namespace examples {

class Args {
 public:
  // `defaults` names every accepted option; anything else is refused.
  Args(int argc, char** argv, std::map<std::string, std::string> defaults) : values_(std::move(defaults)) {
    for (int i = 1; i < argc; ++i) {
      const std::string key = argv[i];
      if (key.rfind("--", 0) != 0 || !values_.count(key.substr(2)) || i + 1 >= argc)
        throw std::invalid_argument("unknown option or missing value: " + key + usage());
      values_[key.substr(2)] = argv[++i];
    }
  }
  std::string str(const std::string& key) const { return values_.at(key); }
  double number(const std::string& key) const {
    char* end = nullptr;
    const std::string& text = values_.at(key);
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end) throw std::invalid_argument("--" + key + " needs a number, got '" + text + "'");
    return v;
  }
  std::size_t count(const std::string& key) const { return static_cast<std::size_t>(number(key)); }

 private:
  std::string usage() const {
    std::string s = "\noptions:";
    for (const auto& [k, v] : values_) s += " --" + k + " (" + (v.empty() ? "none" : v) + ")";
    return s;
  }
  std::map<std::string, std::string> values_;
};

}  // namespace examples
