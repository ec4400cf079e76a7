#pragma once
// The numbers tests/rnn_reference.py had PyTorch write: inputs, parameters, outputs and gradients
// of its recurrent cells and layers, by case ("lstm_cell_f64") and name ("x", "weight_ih.grad").
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace tg::testing {

class RnnReference {
 public:
  static const RnnReference& get() {
    static const RnnReference reference(std::string(TAPEGRAD_TEST_RNN) + "/reference.safetensors");
    return reference;
  }

  // Every case whose name starts with `prefix` (the metadata also holds "torch", its version).
  std::vector<std::string> cases(const std::string& prefix) const {
    std::vector<std::string> names;
    for (const auto& [name, text] : file_.metadata)
      if (name.rfind(prefix, 0) == 0 && name != "torch") names.push_back(name);
    return names;
  }
  // The case's settings: kind, sizes, options, dtype.
  std::map<std::string, std::string> settings(const std::string& name) const {
    std::map<std::string, std::string> values;
    std::istringstream words(file_.metadata.at(name));
    for (std::string word; words >> word;) values[word.substr(0, word.find('='))] = word.substr(word.find('=') + 1);
    return values;
  }
  bool has(const std::string& name, const std::string& key) const { return file_.contains(name + "/" + key); }
  template <class T>
  xt::xarray<T> array(const std::string& name, const std::string& key) const {
    return file_.get<T>(name + "/" + key);
  }
  template <class T>
  BasicTensor<T> tensor(const std::string& name, const std::string& key, bool requires_grad = false) const {
    return BasicTensor<T>::from(array<T>(name, key), requires_grad);
  }
  std::vector<std::size_t> lengths(const std::string& name) const {
    const auto& l = file_.get<std::int64_t>(name + "/lengths");
    return std::vector<std::size_t>(l.begin(), l.end());
  }

 private:
  explicit RnnReference(const std::string& path) : file_(nn::read_safetensors(path)) {}
  nn::Safetensors file_;
};

// Elementwise |actual - expected| <= atol + rtol |expected|: float needs room for PyTorch's
// and our different summation orders, double agrees to rounding.
template <class T>
void expect_matches(const xt::xarray<T>& actual, const xt::xarray<T>& expected, const std::string& what) {
  const double atol = sizeof(T) == 4 ? 2e-5 : 1e-12, rtol = sizeof(T) == 4 ? 1e-4 : 1e-10;
  BOOST_TEST_REQUIRE(shape_str(actual.shape()) == shape_str(expected.shape()), what << ": shapes differ");
  double worst = 0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double e = expected.data()[i], d = std::abs(double(actual.data()[i]) - e);
    worst = std::max(worst, d / (atol + rtol * std::abs(e)));
  }
  BOOST_TEST(worst <= 1.0, what << ": off by " << worst << " times the tolerance");
}

}  // namespace tg::testing
