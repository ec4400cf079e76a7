// Initializers: gains and fans as PyTorch computes them, and the statistics of every fill.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/tensor_checks.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::max_abs;
using tg::testing::mean_of;
using tg::testing::message_contains;
using tg::testing::variance_of;

}  // namespace

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
