// Linear, Sequential, the activation modules, Dropout and Flatten against numbers worked out by
// hand, and Linear's PyTorch-default initialization.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/tensor_checks.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::max_abs;
using tg::testing::mean_of;
using tg::testing::message_contains;
using tg::testing::names_of;
using tg::testing::set_value;
using tg::testing::variance_of;

}  // namespace

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
