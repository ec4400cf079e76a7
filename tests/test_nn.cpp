// Modules and layers: parameter naming and order, train/eval, state_dict round trips and load
// errors, freezing, summary counts, layers against numbers worked out by hand, initializers.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::message_contains;

// A model with a nested submodule and a parameter of its own: "scale", "fc1.*", "block.0.*".
struct Net : nn::Module {
  tg::Tensor scale = register_parameter("scale", tg::ones<float>({1}));
  std::shared_ptr<nn::Linear> fc1 = register_module("fc1", nn::Linear(4, 3));
  std::shared_ptr<nn::Sequential> block = register_module("block", nn::Sequential(nn::Linear(3, 2), nn::Tanh()));
  tg::Tensor forward(const tg::Tensor& x) override { return (*block)(tg::relu((*fc1)(x))) * scale; }
  std::string name() const override { return "Net"; }
};

std::vector<std::string> names_of(const std::vector<nn::Module::NamedTensor>& named) {
  std::vector<std::string> names;
  for (const auto& [name, tensor] : named) names.push_back(name);
  return names;
}

void set_value(tg::Tensor t, xt::xarray<float> value) {
  tg::NoGradGuard no_grad;
  t.mutable_value() = std::move(value);
}

double mean_of(const xt::xarray<float>& v) {
  double s = 0;
  for (float x : v) s += x;
  return s / static_cast<double>(v.size());
}

double variance_of(const xt::xarray<float>& v) {
  const double m = mean_of(v);
  double s = 0;
  for (float x : v) s += (x - m) * (x - m);
  return s / static_cast<double>(v.size());
}

double max_abs(const xt::xarray<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, std::abs(static_cast<double>(x)));
  return m;
}

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

BOOST_AUTO_TEST_SUITE(layers)

BOOST_AUTO_TEST_CASE(linear_forward_and_gradients_by_hand) {
  nn::Linear fc(2, 3);
  set_value(fc.weight, {{1.0f, 2.0f}, {3.0f, 4.0f}, {5.0f, 6.0f}});
  set_value(fc.bias, {0.5f, -1.0f, 2.0f});
  const auto x = tg::Tensor::from(xt::xarray<float>{{1.0f, -1.0f}, {2.0f, 0.5f}}, true);
  const auto y = fc(x);
  BOOST_TEST(y.value() == (xt::xarray<float>{{-0.5f, -2.0f, 1.0f}, {3.5f, 7.0f, 15.0f}}));
  tg::sum(y).backward();
  // d sum(x W^T + b) / dW: every row is the sum of the inputs; / db: the batch size.
  BOOST_TEST(fc.weight.grad().value() == (xt::xarray<float>{{3.0f, -0.5f}, {3.0f, -0.5f}, {3.0f, -0.5f}}));
  BOOST_TEST(fc.bias.grad().value() == (xt::xarray<float>{2.0f, 2.0f, 2.0f}));
  BOOST_TEST(x.grad().value() == (xt::xarray<float>{{9.0f, 12.0f}, {9.0f, 12.0f}}));
  BOOST_TEST(fc.describe() == "Linear(2 -> 3)");
  BOOST_TEST(fc.in_features() == 2u);
  BOOST_TEST(fc.out_features() == 3u);
}

BOOST_AUTO_TEST_CASE(linear_without_bias_and_functional_linear) {
  nn::Linear fc(3, 2, false);
  BOOST_TEST(!fc.bias.defined());
  BOOST_TEST(names_of(fc.named_parameters()) == std::vector<std::string>{"weight"}, boost::test_tools::per_element());
  BOOST_TEST(fc.describe() == "Linear(3 -> 2, no bias)");
  set_value(fc.weight, {{1.0f, 0.0f, -1.0f}, {2.0f, 1.0f, 0.0f}});
  BOOST_TEST(fc(tg::Tensor::from(xt::xarray<float>{1.0f, 2.0f, 3.0f})).value() == (xt::xarray<float>{-2.0f, 4.0f}));

  auto x = tg::TensorD::from(xt::xarray<double>{{0.3, -0.7, 1.1}, {2.0, 0.1, -0.4}}, true);
  auto w = tg::TensorD::from(xt::xarray<double>{{0.2, -0.5, 0.9}, {1.3, 0.4, -0.6}}, true);
  auto b = tg::TensorD::from(xt::xarray<double>{0.1, -0.2}, true);
  BOOST_TEST(tg::gradcheck([](const std::vector<tg::TensorD>& in) { return nn::linear(in[0], in[1], in[2]); },
                           {x, w, b}));
  BOOST_CHECK_EXCEPTION(fc(tg::ones<float>({4, 5})), tg::Error,
                        message_contains({"linear", "(4,5)", "(2,3)", "must be 3"}));
  BOOST_CHECK_EXCEPTION(nn::linear(x, w, tg::TensorD::from(xt::xarray<double>{1.0, 2.0, 3.0})), tg::Error,
                        message_contains({"bias of shape (3)"}));
}

BOOST_AUTO_TEST_CASE(linear_init_is_pytorch_default_and_seeded) {
  tg::Generator gen(42);
  nn::Linear fc(400, 300, true, gen);
  const double bound = 1.0 / std::sqrt(400.0);  // kaiming_uniform(a = sqrt(5)) reduces to this
  BOOST_TEST(max_abs(fc.weight.value()) <= bound);
  BOOST_TEST(max_abs(fc.weight.value()) > 0.99 * bound);
  BOOST_TEST(max_abs(fc.bias.value()) <= bound);
  BOOST_TEST(std::abs(mean_of(fc.weight.value())) < 0.01 * bound);
  BOOST_TEST(std::abs(variance_of(fc.weight.value()) / (bound * bound / 3.0) - 1.0) < 0.02);

  tg::Generator again(42);
  nn::Linear same(400, 300, true, again);
  BOOST_TEST(same.weight.value() == fc.weight.value());
  BOOST_TEST(same.bias.value() == fc.bias.value());

  nn::manual_seed(5);
  nn::Linear a(3, 4);
  nn::manual_seed(5);
  nn::Linear b(3, 4);
  BOOST_TEST(a.weight.value() == b.weight.value());
  nn::Linear c(3, 4);
  BOOST_TEST(!(c.weight.value() == b.weight.value()));
}

BOOST_AUTO_TEST_CASE(sequential_chains_and_names) {
  nn::manual_seed(3);
  auto first = std::make_shared<nn::Linear>(3, 4);
  nn::Sequential inner(nn::Linear(4, 4), nn::ReLU());
  nn::Sequential net(first, nn::Tanh(), std::move(inner));
  auto last = net.push_back(nn::Linear(4, 1));
  BOOST_TEST(net.size() == 4u);
  BOOST_TEST(net[0] == first);
  BOOST_CHECK_EXCEPTION(net[4], tg::Error, message_contains({"index 4", "4 modules"}));
  BOOST_TEST(names_of(net.named_parameters()) ==
                 (std::vector<std::string>{"0.weight", "0.bias", "2.0.weight", "2.0.bias", "3.weight", "3.bias"}),
             boost::test_tools::per_element());

  const auto x = tg::Tensor::from(xt::xarray<float>{{0.1f, -0.2f, 0.3f}, {1.0f, 0.5f, -1.0f}});
  const auto hidden = tg::relu((*net[2]->children()[0])(tg::tanh((*first)(x))));
  BOOST_TEST(net(x).value() == (*last)(hidden).value());

  nn::Sequential empty;
  BOOST_TEST(empty(x).is_same(x));
}

BOOST_AUTO_TEST_CASE(activation_modules_by_hand) {
  const auto x = tg::Tensor::from(xt::xarray<float>{{-1.0f, 0.0f, 2.0f}});
  auto expect = [&x](nn::Module&& m, std::vector<double> expected) {
    const auto y = m(x);
    BOOST_TEST_REQUIRE(y.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
      BOOST_TEST(std::abs(y.value().data()[i] - expected[i]) < 1e-6, m.describe() << " element " << i);
  };
  expect(nn::Sigmoid(), {1 / (1 + std::exp(1.0)), 0.5, 1 / (1 + std::exp(-2.0))});
  expect(nn::Tanh(), {std::tanh(-1.0), 0.0, std::tanh(2.0)});
  expect(nn::ReLU(), {0.0, 0.0, 2.0});
  expect(nn::LeakyReLU(0.2f), {-0.2, 0.0, 2.0});
  expect(nn::Gaussian(), {std::exp(-1.0), 1.0, std::exp(-4.0)});
  const double total = std::exp(-1.0) + 1.0 + std::exp(2.0);
  expect(nn::Softmax(), {std::exp(-1.0) / total, 1.0 / total, std::exp(2.0) / total});
  expect(nn::LogSoftmax(1), {-1.0 - std::log(total), -std::log(total), 2.0 - std::log(total)});
  const double k = std::sqrt(2.0 / std::numbers::pi);
  auto gelu = [k](double v) { return 0.5 * v * (1 + std::tanh(k * (v + 0.044715 * v * v * v))); };
  expect(nn::GELU(), {gelu(-1.0), 0.0, gelu(2.0)});

  BOOST_TEST(nn::LeakyReLU(0.01f).describe() == "LeakyReLU(slope=0.01)");
  BOOST_TEST(nn::Softmax(1).describe() == "Softmax(axis=1)");
  BOOST_TEST(nn::LogSoftmax().describe() == "LogSoftmax(axis=-1)");

  // d exp(-x^2)/dx = -2x exp(-x^2), from the tape.
  auto v = tg::TensorD::from(xt::xarray<double>{-0.7, 0.0, 1.3}, true);
  BOOST_TEST(tg::gradcheck([](const std::vector<tg::TensorD>& in) { return nn::gaussian(in[0]); }, {v}));
  tg::sum(nn::gaussian(v)).backward();
  BOOST_TEST(std::abs(v.grad().value()(2) - (-2.6 * std::exp(-1.69))) < 1e-12);
}

BOOST_AUTO_TEST_CASE(dropout_scales_survivors_and_is_seeded) {
  const auto x = tg::ones<float>({100, 100}, true);
  nn::Dropout drop(0.25, 11);
  BOOST_TEST(drop.describe() == "Dropout(p=0.25)");
  const auto y = drop(x);
  std::size_t dropped = 0;
  for (float v : y.value()) {
    BOOST_TEST_REQUIRE((v == 0.0f || std::abs(v - 1.0f / 0.75f) < 1e-6f));
    dropped += v == 0.0f;
  }
  BOOST_TEST(std::abs(static_cast<double>(dropped) / 10000.0 - 0.25) < 0.02);
  // The gradient is the same mask: zero where dropped, 1 / (1 - p) elsewhere.
  tg::sum(y).backward();
  BOOST_TEST(x.grad().value() == y.value());

  nn::Dropout same(0.25, 11);
  BOOST_TEST(same(x).value() == y.value());
  BOOST_TEST(!(drop(x).value() == y.value()));  // the next call draws a new mask

  drop.eval();
  BOOST_TEST(drop(x).is_same(x));
  tg::Generator gen(1);
  BOOST_TEST(nn::dropout(x, 0.0, true, gen).is_same(x));
  BOOST_TEST(max_abs(nn::dropout(x, 1.0, true, gen).value()) == 0.0);
  BOOST_CHECK_EXCEPTION(nn::Dropout(1.5), tg::Error, message_contains({"dropout", "[0, 1]", "1.5"}));

  // eval() on a model reaches its Dropout layers.
  nn::Sequential net(nn::ReLU(), nn::Dropout(0.5, 1));
  BOOST_TEST(!(net(x).value() == x.value()));
  net.eval();
  BOOST_TEST(net(x).value() == x.value());

  nn::manual_seed(9);
  nn::Dropout a(0.5);
  nn::manual_seed(9);
  nn::Dropout b(0.5);
  BOOST_TEST(a(x).value() == b(x).value());
}

BOOST_AUTO_TEST_CASE(flatten_keeps_the_batch_axis) {
  xt::xarray<float> values = xt::arange<float>(24.0f);
  values.reshape({2, 3, 4});
  const auto x = tg::Tensor::from(values, true);
  nn::Flatten flatten;
  const auto y = flatten(x);
  BOOST_TEST(y.shape() == (tg::Shape{2, 12}), boost::test_tools::per_element());
  BOOST_TEST(y.value()(1, 5) == 17.0f);
  tg::sum(y * 2.0f).backward();
  BOOST_TEST(x.grad().shape() == (tg::Shape{2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(flatten(tg::ones<float>({5})).shape() == (tg::Shape{5, 1}), boost::test_tools::per_element());
  BOOST_CHECK_EXCEPTION(flatten(tg::ones<float>({})), tg::Error, message_contains({"Flatten"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(init)

BOOST_AUTO_TEST_CASE(gains_and_fans) {
  namespace init = nn::init;
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::Linear) == 1.0);
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::Sigmoid) == 1.0);
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::Tanh) == 5.0 / 3.0);
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::ReLU) == std::sqrt(2.0));
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::LeakyReLU, 0.2) == std::sqrt(2.0 / 1.04));
  BOOST_TEST(init::calculate_gain(init::Nonlinearity::LeakyReLU) == std::sqrt(2.0 / 1.0001));
  const auto fans = init::calculate_fans({16, 3, 5, 5});
  BOOST_TEST(fans.in == 75u);
  BOOST_TEST(fans.out == 400u);
  BOOST_CHECK_EXCEPTION(init::kaiming_uniform_(tg::zeros<float>({5})), tg::Error,
                        message_contains({"kaiming_uniform_", "(5)"}));
}

BOOST_AUTO_TEST_CASE(fills_and_their_statistics) {
  namespace init = nn::init;
  tg::Generator gen(7);
  auto t = tg::zeros<float>({200, 300}, true);

  init::uniform_(t, -0.5, 1.5, gen);
  BOOST_TEST(xt::amin(t.value())() >= -0.5f);
  BOOST_TEST(xt::amax(t.value())() <= 1.5f);
  BOOST_TEST(std::abs(mean_of(t.value()) - 0.5) < 0.01);
  BOOST_TEST(std::abs(variance_of(t.value()) - 4.0 / 12.0) < 0.01);

  init::normal_(t, 2.0, 0.5, gen);
  BOOST_TEST(std::abs(mean_of(t.value()) - 2.0) < 0.01);
  BOOST_TEST(std::abs(std::sqrt(variance_of(t.value())) - 0.5) < 0.01);

  init::constant_(t, 0.25);
  BOOST_TEST(xt::all(xt::equal(t.value(), 0.25f)));
  init::ones_(t);
  BOOST_TEST(xt::all(xt::equal(t.value(), 1.0f)));
  init::zeros_(t);
  BOOST_TEST(max_abs(t.value()) == 0.0);
  BOOST_TEST(t.requires_grad());  // filled off the tape, still a trainable leaf

  // Glorot: bound sqrt(6 / (fan_in + fan_out)), std sqrt(2 / (fan_in + fan_out)).
  const double fan_sum = 500.0;
  init::xavier_uniform_(t, 1.0, gen);
  BOOST_TEST(max_abs(t.value()) <= std::sqrt(6.0 / fan_sum));
  BOOST_TEST(std::abs(variance_of(t.value()) / (2.0 / fan_sum) - 1.0) < 0.02);
  init::xavier_normal_(t, 2.0, gen);
  BOOST_TEST(std::abs(variance_of(t.value()) / (4.0 * 2.0 / fan_sum) - 1.0) < 0.02);

  // He: with the default leaky_relu slope 0, std = sqrt(2 / fan); fan_in = 300, fan_out = 200.
  init::kaiming_uniform_(t, {}, gen);
  BOOST_TEST(max_abs(t.value()) <= std::sqrt(6.0 / 300.0));
  BOOST_TEST(std::abs(variance_of(t.value()) / (2.0 / 300.0) - 1.0) < 0.02);
  init::kaiming_normal_(t, {.mode = init::FanMode::Out, .nonlinearity = init::Nonlinearity::Tanh}, gen);
  BOOST_TEST(std::abs(variance_of(t.value()) / (25.0 / 9.0 / 200.0) - 1.0) < 0.02);

  // The same seed gives the same numbers.
  tg::Generator g1(3), g2(3);
  auto a = init::normal_(tg::zeros<float>({10}), 0.0, 1.0, g1);
  auto b = init::normal_(tg::zeros<float>({10}), 0.0, 1.0, g2);
  BOOST_TEST(a.value() == b.value());
  BOOST_CHECK_EXCEPTION(init::uniform_(t, 1.0, 0.0, gen), tg::Error, message_contains({"uniform_"}));
  BOOST_CHECK_EXCEPTION(init::normal_(t, 0.0, -1.0, gen), tg::Error, message_contains({"normal_"}));
}

BOOST_AUTO_TEST_SUITE_END()
