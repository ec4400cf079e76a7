// PyBrain's network API: build_network's layers, connections and printing, its starting weights,
// activate, and the data set's fields, against numbers worked out by hand from PyBrain's formulas.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/module_parameters.hpp"
#include "tests/pybrain_checks.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::set_parameter;
using namespace tg::testing::pybrain;

std::string printed(const nn::Module& module) {
  std::ostringstream out;
  out << module;
  return out.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(network)

BOOST_AUTO_TEST_CASE(build_network_names_and_prints_layers_as_pybrain) {
  auto net = nn::build_network({2, 3, 1});
  BOOST_TEST(printed((*net)["in"]) == "<LinearLayer 'in'>");
  BOOST_TEST(printed((*net)["hidden0"]) == "<SigmoidLayer 'hidden0'>");
  BOOST_TEST(printed((*net)["out"]) == "<LinearLayer 'out'>");
  BOOST_TEST(printed((*net)["bias"]) == "<BiasUnit 'bias'>");
  BOOST_TEST(printed(*net) == "FeedForwardNetwork(2-3-1, SigmoidLayer hidden, LinearLayer out, bias)");
  // PyBrain's buildNetwork(2, 3, 1) has 13 parameters: 2x3 + 3x1 weights, 3 + 1 from the bias unit.
  BOOST_TEST(net->parameter_count() == 13u);
  std::vector<std::string> names;
  for (const auto& [name, tensor] : net->named_parameters()) names.push_back(name + " " + tg::shape_str(tensor.shape()));
  const std::vector<std::string> expected{"bias_to_out (1)", "bias_to_hidden0 (3)", "in_to_hidden0 (3,2)",
                                          "hidden0_to_out (1,3)"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());

  auto tanh_net = nn::build_network({2, 3, 4, 2}, {.hidden = nn::LayerKind::Tanh, .out = nn::LayerKind::Softmax});
  BOOST_TEST(printed((*tanh_net)["hidden0"]) == "<TanhLayer 'hidden0'>");
  BOOST_TEST(printed((*tanh_net)["hidden1"]) == "<TanhLayer 'hidden1'>");
  BOOST_TEST(printed((*tanh_net)["out"]) == "<SoftmaxLayer 'out'>");
  BOOST_TEST(tanh_net->parameter_count() == 2u * 3 + 3 * 4 + 4 * 2 + 3 + 4 + 2);

  auto flat = nn::build_network({2, 1}, {.bias = false});  // in -> out directly
  BOOST_TEST(flat->parameter_count() == 2u);
  BOOST_CHECK_EXCEPTION((*flat)["bias"], tg::Error, message_contains({"no layer named 'bias'", "'in'", "'out'"}));
  BOOST_CHECK_EXCEPTION((*net)["hidden1"], tg::Error, message_contains({"'hidden1'", "'hidden0'"}));
  BOOST_CHECK_EXCEPTION(nn::build_network({3}), tg::Error, message_contains({"build_network", "1 sizes"}));
  BOOST_CHECK_EXCEPTION(nn::build_network({3, 0, 1}), tg::Error, message_contains({"at least one unit"}));
}

BOOST_AUTO_TEST_CASE(weights_start_standard_normal_as_pybrain_randomize) {
  tg::nn::manual_seed(3);
  auto net = nn::build_network({50, 40, 10});
  double sum = 0, squares = 0;
  std::size_t n = 0;
  for (const auto& p : net->parameters())
    for (const float v : p.value()) sum += v, squares += double(v) * v, ++n;
  const double mean = sum / double(n), variance = squares / double(n) - mean * mean;
  BOOST_TEST(std::abs(mean) < 0.05);  // 2,450 draws: the standard error of the mean is 0.02
  BOOST_TEST(std::abs(variance - 1) < 0.1);
}

BOOST_AUTO_TEST_CASE(activate_computes_the_layers_by_hand) {
  auto net = nn::build_network({2, 2, 1});
  set_parameter(*net, "in_to_hidden0", {{1.0f, -2.0f}, {0.5f, 0.25f}});
  set_parameter(*net, "bias_to_hidden0", {0.1f, -0.3f});
  set_parameter(*net, "hidden0_to_out", {{2.0f, -1.0f}});
  set_parameter(*net, "bias_to_out", {0.5f});
  const double h0 = sigmoid(1 * 2 - 2 * 1 + 0.1), h1 = sigmoid(0.5 * 2 + 0.25 * 1 - 0.3);
  const std::vector<float> y = net->activate({2, 1});
  BOOST_REQUIRE(y.size() == 1u);
  BOOST_TEST(y[0] == 2 * h0 - h1 + 0.5, boost::test_tools::tolerance(1e-6));

  auto softmax_net = nn::build_network({1, 2}, {.out = nn::LayerKind::Softmax, .bias = false});
  set_parameter(*softmax_net, "in_to_out", matrix(2, 1, {1, -1}));
  const std::vector<float> p = softmax_net->activate({0.5f});
  BOOST_TEST(p[0] == std::exp(0.5) / (std::exp(0.5) + std::exp(-0.5)), boost::test_tools::tolerance(1e-6));
  BOOST_TEST(p[0] + p[1] == 1.0f, boost::test_tools::tolerance(1e-6f));

  auto gaussian_net = nn::build_network({1, 1}, {.out = nn::LayerKind::Gaussian, .bias = false});
  set_parameter(*gaussian_net, "in_to_out", matrix(1, 1, {1.5f}));
  BOOST_TEST(gaussian_net->activate({1.0f})[0] == std::exp(-2.25), boost::test_tools::tolerance(1e-6));

  BOOST_CHECK_EXCEPTION(net->activate({1, 2, 3}), tg::Error, message_contains({"activate", "takes 2 inputs, got 3"}));
}

BOOST_AUTO_TEST_CASE(supervised_data_set_fields_as_pybrain) {
  nn::SupervisedDataSet ds(2, 1);
  ds.add_sample({0, 0}, {0});
  ds.add_sample({0, 1}, {1});
  ds.add_sample({1, 0}, {1});
  BOOST_TEST(ds.size() == 3u);
  const xt::xarray<float> input = ds["input"], target = ds["target"];
  BOOST_TEST(input == (xt::xarray<float>{{0, 0}, {0, 1}, {1, 0}}));
  BOOST_TEST(target == matrix(3, 1, {0, 1, 1}));
  std::vector<float> seen;
  for (const auto& [in, t] : ds) seen.push_back(in(1) + 10 * t(0));
  BOOST_TEST(seen == (std::vector<float>{0, 11, 10}), boost::test_tools::per_element());
  BOOST_CHECK_EXCEPTION(ds["inputs"], tg::Error, message_contains({"no field 'inputs'", "'input' and 'target'"}));

  const auto [left, right] = ds.split_with_proportion(0.75, 9);  // int(3 * 0.75) = 2 samples on the left
  BOOST_TEST(left.size() == 2u);
  BOOST_TEST(right.size() == 1u);
  BOOST_TEST(xt::sum(left["target"])() + xt::sum(right["target"])() == 2.0f);

  ds.clear();
  BOOST_TEST(ds["input"].shape() == (std::vector<std::size_t>{0, 2}), boost::test_tools::per_element());
  BOOST_TEST(ds["target"].shape() == (std::vector<std::size_t>{0, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
