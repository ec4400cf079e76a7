// Modules: parameter naming and order, buffers, train/eval, zero_grad, state_dict round trips and
// load errors, freezing, summary counts.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/tensor_checks.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::max_abs;
using tg::testing::message_contains;
using tg::testing::names_of;
using tg::testing::set_value;

// A model with a nested submodule and a parameter of its own: "scale", "fc1.*", "block.0.*".
struct Net : nn::Module {
  tg::Tensor scale = register_parameter("scale", tg::ones<float>({1}));
  std::shared_ptr<nn::Linear> fc1 = register_module("fc1", nn::Linear(4, 3));
  std::shared_ptr<nn::Sequential> block = register_module("block", nn::Sequential(nn::Linear(3, 2), nn::Tanh()));
  tg::Tensor forward(const tg::Tensor& x) override { return (*block)(tg::relu((*fc1)(x))) * scale; }
  std::string name() const override { return "Net"; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(module)

BOOST_AUTO_TEST_CASE(nested_dotted_names_in_registration_order) {
  Net net;
  const std::vector<std::string> expected = {"scale", "fc1.weight", "fc1.bias", "block.0.weight", "block.0.bias"};
  BOOST_TEST(names_of(net.named_parameters()) == expected, boost::test_tools::per_element());
  BOOST_TEST(names_of(net.named_parameters(false)) == std::vector<std::string>{"scale"},
             boost::test_tools::per_element());

  // parameters() hands out the module's own handles: what an optimizer updates is the model.
  const auto params = net.parameters();
  BOOST_TEST_REQUIRE(params.size() == 5u);
  BOOST_TEST(params[0].is_same(net.scale));
  BOOST_TEST(params[1].is_same(net.fc1->weight));
  BOOST_TEST(params[2].is_same(net.fc1->bias));
  BOOST_TEST(params[3].is_same(std::static_pointer_cast<nn::Linear>((*net.block)[0])->weight));
  for (const auto& p : params) BOOST_TEST(p.requires_grad());

  std::vector<std::string> modules;
  for (const auto& [name, module] : net.named_modules()) modules.push_back(name + ":" + module->name());
  BOOST_TEST(modules == (std::vector<std::string>{"fc1:Linear", "block:Sequential", "block.0:Linear", "block.1:Tanh"}),
             boost::test_tools::per_element());
  BOOST_TEST(net.children().size() == 2u);
  BOOST_TEST(net.named_children()[1].first == "block");
}

BOOST_AUTO_TEST_CASE(registration_errors) {
  Net net;
  BOOST_CHECK_EXCEPTION(net.register_parameter("scale", tg::zeros<float>({2})), tg::Error,
                        message_contains({"register_parameter", "'scale'", "already registered"}));
  BOOST_CHECK_EXCEPTION(net.register_buffer("fc1", tg::zeros<float>({2})), tg::Error,
                        message_contains({"register_buffer", "'fc1'", "already registered"}));
  BOOST_CHECK_EXCEPTION(net.register_module("a.b", nn::ReLU()), tg::Error, message_contains({"register_module", "'a.b'"}));
  BOOST_CHECK_EXCEPTION(net.register_parameter("", tg::zeros<float>({2})), tg::Error, message_contains({"empty"}));
  auto leaf = tg::ones<float>({2}, true);
  BOOST_CHECK_EXCEPTION(net.register_parameter("computed", leaf * 2.0f), tg::Error,
                        message_contains({"'computed'", "leaf"}));
  BOOST_TEST(net.named_parameters().size() == 5u);  // the failed registrations added nothing
}

BOOST_AUTO_TEST_CASE(buffers_are_state_but_not_parameters) {
  Net net;
  net.fc1->register_buffer("running_mean", tg::full<float>({3}, 0.5f));
  BOOST_TEST(net.parameters().size() == 5u);
  BOOST_TEST(names_of(net.named_buffers()) == std::vector<std::string>{"fc1.running_mean"},
             boost::test_tools::per_element());
  BOOST_TEST(!net.buffers()[0].requires_grad());
  const auto keys = net.state_dict().keys();
  BOOST_TEST(keys == (std::vector<std::string>{"scale", "fc1.weight", "fc1.bias", "fc1.running_mean", "block.0.weight",
                                               "block.0.bias"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(train_and_eval_reach_every_submodule) {
  Net net;
  BOOST_TEST(net.is_training());
  net.eval();
  BOOST_TEST(!net.is_training());
  for (const auto& [name, module] : net.named_modules()) BOOST_TEST(!module->is_training(), name);
  net.train();
  for (const auto& [name, module] : net.named_modules()) BOOST_TEST(module->is_training(), name);
  net.block->train(false);
  BOOST_TEST(net.is_training());
  BOOST_TEST(!(*net.block)[1]->is_training());
}

// The same policy as Optimizer::zero_grad (and PyTorch 2): unset by default, zeros on request.
BOOST_AUTO_TEST_CASE(zero_grad_clears_every_parameter) {
  Net net;
  tg::sum(net(tg::ones<float>({2, 4}))).backward();
  for (const auto& p : net.parameters()) BOOST_TEST_REQUIRE(p.grad().defined());
  net.zero_grad(false);
  for (const auto& p : net.parameters()) BOOST_TEST(max_abs(p.grad().value()) == 0.0);
  net.zero_grad();
  for (const auto& p : net.parameters()) BOOST_TEST(!p.grad().defined());
}

BOOST_AUTO_TEST_CASE(state_dict_round_trip) {
  nn::manual_seed(1);
  Net a;
  nn::manual_seed(2);
  Net b;
  BOOST_TEST(!(a.fc1->weight.value() == b.fc1->weight.value()));

  const nn::StateDict state = a.state_dict();
  BOOST_TEST(state.size() == 5u);
  BOOST_TEST(state.at("fc1.weight") == a.fc1->weight.value());
  const tg::Tensor handle = b.fc1->weight;
  const auto version = handle.version();
  b.load_state_dict(state);
  for (const auto& [name, value] : state)
    BOOST_TEST(value == b.state_dict().at(name), name);
  BOOST_TEST(b.fc1->weight.is_same(handle));  // loaded in place: optimizers keep their handles
  BOOST_TEST(handle.version() > version);
  BOOST_TEST(b.fc1->weight.requires_grad());

  // The state dict is a copy: changing the model afterwards does not change it.
  set_value(a.scale, xt::xarray<float>{7.0f});
  BOOST_TEST(state.at("scale")(0) == 1.0f);

  const auto x = tg::Tensor::from(xt::xarray<float>{{0.5f, -1.0f, 2.0f, 0.25f}});
  set_value(b.scale, xt::xarray<float>{7.0f});
  BOOST_TEST(a(x).value() == b(x).value());
}

BOOST_AUTO_TEST_CASE(load_errors_leave_the_module_unchanged) {
  Net net;
  const nn::StateDict before = net.state_dict();
  auto expect_unchanged = [&] {
    for (const auto& [name, value] : before) BOOST_TEST(value == net.state_dict().at(name), name);
  };

  nn::StateDict missing;
  for (const auto& [name, value] : before)
    if (name != "fc1.bias") missing.insert(name, xt::zeros<float>(value.shape()));
  BOOST_CHECK_EXCEPTION(net.load_state_dict(missing), tg::Error,
                        message_contains({"load_state_dict", "missing keys 'fc1.bias'"}));
  expect_unchanged();

  nn::StateDict unexpected;
  for (const auto& [name, value] : before) unexpected.insert(name, xt::zeros<float>(value.shape()));
  unexpected.insert("fc3.weight", xt::zeros<float>({2, 2}));
  BOOST_CHECK_EXCEPTION(net.load_state_dict(unexpected), tg::Error, message_contains({"unexpected keys 'fc3.weight'"}));
  expect_unchanged();

  nn::StateDict wrong_shape;
  for (const auto& [name, value] : before)
    wrong_shape.insert(name, name == "block.0.weight" ? xt::xarray<float>(xt::zeros<float>({3, 2}))
                                                      : xt::xarray<float>(xt::zeros<float>(value.shape())));
  BOOST_CHECK_EXCEPTION(net.load_state_dict(wrong_shape), tg::Error,
                        message_contains({"'block.0.weight'", "(3,2)", "(2,3)"}));
  BOOST_CHECK_EXCEPTION(net.load_state_dict(wrong_shape, false), tg::Error, message_contains({"'block.0.weight'"}));
  expect_unchanged();

  // Not strict: missing keys keep their values, unexpected ones are skipped.
  net.load_state_dict(missing, false);
  BOOST_TEST(max_abs(net.fc1->weight.value()) == 0.0);
  BOOST_TEST(net.fc1->bias.value() == before.at("fc1.bias"));
  net.load_state_dict(unexpected, false);
  BOOST_TEST(max_abs(net.fc1->bias.value()) == 0.0);

  BOOST_CHECK_EXCEPTION(before.at("nope"), tg::Error, message_contains({"'nope'"}));
  nn::StateDict dup;
  dup.insert("a", xt::zeros<float>({1}));
  BOOST_CHECK_EXCEPTION(dup.insert("a", xt::zeros<float>({1})), tg::Error, message_contains({"'a'", "already"}));
}

BOOST_AUTO_TEST_CASE(a_frozen_parameter_gets_no_gradient) {
  Net net;
  net.fc1->weight.set_requires_grad(false);
  tg::sum(net(tg::ones<float>({2, 4}))).backward();
  BOOST_TEST(!net.fc1->weight.grad().defined());
  BOOST_TEST(net.fc1->bias.grad().defined());
  BOOST_TEST(net.parameter_count() == 1u + 15u + 8u);
  BOOST_TEST(net.trainable_parameter_count() == 1u + 3u + 8u);
  BOOST_TEST(net.summary().find("Non-trainable params: 12") != std::string::npos);
  // Freezing survives a state_dict round trip, which copies values only.
  net.load_state_dict(net.state_dict());
  BOOST_TEST(!net.fc1->weight.requires_grad());
}

BOOST_AUTO_TEST_CASE(summary_of_the_784_100_10_perceptron) {
  nn::Sequential net(nn::Linear(784, 100), nn::Sigmoid(), nn::Linear(100, 10), nn::Sigmoid());
  BOOST_TEST(net.parameter_count() == 79510u);
  BOOST_TEST(net.trainable_parameter_count() == 79510u);

  const std::string described = net.summary();
  for (const char* part : {"Layer (type)", "0 (Linear)", "Linear(784 -> 100)", "78500", "1 (Sigmoid)",
                           "2 (Linear)", "Linear(100 -> 10)", "1010", "Total params: 79,510",
                           "Trainable params: 79,510", "Non-trainable params: 0"})
    BOOST_TEST(described.find(part) != std::string::npos, "'" << part << "' is not in\n" << described);

  net.eval();
  (*net[1]).train();
  const std::string shaped = net.summary({784});
  for (const char* part : {"Output Shape", "(None, 100)", "(None, 10)", "Total params: 79,510"})
    BOOST_TEST(shaped.find(part) != std::string::npos, "'" << part << "' is not in\n" << shaped);
  // The probe ran in eval mode and put every module's own mode back.
  BOOST_TEST(!net.is_training());
  BOOST_TEST(net[1]->is_training());
  BOOST_TEST(!net[0]->is_training());
}

BOOST_AUTO_TEST_CASE(summary_rows_of_a_custom_module) {
  Net net;
  const std::string s = net.summary({4});
  for (const char* part : {"Model: Net", "(own) (Net)", "fc1 (Linear)", "(None, 3)", "block (Sequential)", "(None, 2)",
                           "Total params: 24"})
    BOOST_TEST(s.find(part) != std::string::npos, "'" << part << "' is not in\n" << s);
  BOOST_TEST(nn::Linear(3, 2).summary().find("Linear(3 -> 2)") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
