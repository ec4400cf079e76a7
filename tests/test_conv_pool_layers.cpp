// Convolution and pooling layers: shapes, PyTorch's initialisation, small forwards worked out by
// hand, and the parameter counts of the seed's Keras CNNs.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/tensor_checks.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::contains;
using tg::testing::expect_close;
using tg::testing::message_contains;
using tg::testing::set_value;
using Array = xt::xarray<float>;

}  // namespace

BOOST_AUTO_TEST_SUITE(conv_norm_embedding_layers)

BOOST_AUTO_TEST_CASE(conv2d_shapes_init_and_description) {
  nn::manual_seed(4);
  nn::Conv2d conv(1, 64, 3);
  BOOST_TEST(tg::shape_str(conv.weight.shape()) == "(64,1,3,3)");
  BOOST_TEST(tg::shape_str(conv.bias.shape()) == "(64)");
  BOOST_TEST(conv.parameter_count() == 640u);  // Keras: Conv2D(64, 3) on one channel
  BOOST_TEST(conv.describe() == "Conv2d(1 -> 64, kernel 3x3)");
  BOOST_TEST(tg::shape_str(conv(tg::zeros<float>({2, 1, 28, 28})).shape()) == "(2,64,26,26)");

  // PyTorch: weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = 1 * 3 * 3.
  const float bound = 1.0f / 3.0f;
  BOOST_TEST(xt::amax(xt::abs(conv.weight.value()))() <= bound);
  BOOST_TEST(xt::amax(xt::abs(conv.bias.value()))() <= bound);
  BOOST_TEST(xt::amax(xt::abs(conv.weight.value()))() > 0.9f * bound);  // spread over the whole range
  nn::manual_seed(4);
  nn::Conv2d again(1, 64, 3);
  BOOST_TEST(again.weight.value() == conv.weight.value());
  BOOST_TEST(again.bias.value() == conv.bias.value());

  nn::Conv2d strided(3, 8, {3, 2}, {.stride = 2, .padding = {1, 0}, .dilation = {1, 2}, .bias = false});
  BOOST_TEST(strided.describe() == "Conv2d(3 -> 8, kernel 3x2, stride 2x2, padding 1x0, dilation 1x2, no bias)");
  BOOST_TEST(!strided.bias.defined());
  BOOST_TEST(strided.parameters().size() == 1u);
  // H: (9 + 2 - 3) / 2 + 1 = 5; W: (10 - 3) / 2 + 1 = 4
  BOOST_TEST(tg::shape_str(strided(tg::zeros<float>({1, 3, 9, 10})).shape()) == "(1,8,5,4)");
  BOOST_CHECK_EXCEPTION(strided(tg::zeros<float>({1, 2, 9, 10})), tg::Error,
                        message_contains({"conv2d: input of shape (1,2,9,10) has 2 channels", "expects 3"}));
}

BOOST_AUTO_TEST_CASE(conv2d_forward_and_gradients_by_hand) {
  nn::Conv2d conv(1, 1, 2);
  set_value(conv.weight, Array{{{{1, 0}, {0, -1}}}});
  set_value(conv.bias, Array{0.5f});
  auto x = tg::Tensor::from(Array{{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}}, true);
  const auto y = conv(x);
  // x[i][j] - x[i+1][j+1] + 0.5 = -4 + 0.5 everywhere.
  expect_close(y.value(), Array{{{{-3.5f, -3.5f}, {-3.5f, -3.5f}}}}, "forward");
  tg::sum(y).backward();
  expect_close(conv.bias.grad().value(), Array{4}, "bias gradient");
  // Each weight tap sums the 2x2 block of inputs it reads.
  expect_close(conv.weight.grad().value(), Array{{{{12, 16}, {24, 28}}}}, "weight gradient");
  expect_close(x.grad().value(), Array{{{{1, 1, 0}, {1, 0, -1}, {0, -1, -1}}}}, "input gradient");
}

BOOST_AUTO_TEST_CASE(pooling_layers_by_hand) {
  Array values = xt::arange<float>(16.0f);
  values.reshape({1, 1, 4, 4});
  const auto x = tg::Tensor::from(values);
  nn::MaxPool2d max_pool(2);
  nn::AvgPool2d avg_pool(2);
  expect_close(max_pool(x).value(), Array{{{{5, 7}, {13, 15}}}}, "max pool");
  expect_close(avg_pool(x).value(), Array{{{{2.5f, 4.5f}, {10.5f, 12.5f}}}}, "avg pool");
  BOOST_TEST(max_pool.describe() == "MaxPool2d(kernel 2x2, stride 2x2)");
  BOOST_TEST(max_pool.parameters().empty());
  nn::AvgPool2d padded(3, 1, 1);
  BOOST_TEST(padded.describe() == "AvgPool2d(kernel 3x3, stride 1x1, padding 1x1)");
  // The corner window holds 0, 1, 4, 5 and five zeros of padding.
  BOOST_TEST(padded(x).value()(0, 0, 0, 0) == 10.0f / 9.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(tg::shape_str(nn::MaxPool2d({2, 1}, 1)(x).shape()) == "(1,1,3,4)");
}

BOOST_AUTO_TEST_CASE(keras_seed_models_have_keras_parameter_counts) {
  // Model A: Conv2D(64, 3, relu) -> Conv2D(32, 3, relu) -> Flatten -> Dense(10, softmax).
  nn::Sequential a(nn::Conv2d(1, 64, 3), nn::ReLU(), nn::Conv2d(64, 32, 3), nn::ReLU(), nn::Flatten(),
                   nn::Linear(24 * 24 * 32, 10));
  BOOST_TEST(a.parameter_count() == 640u + 18464u + 184330u);
  const std::string sa = a.summary({1, 28, 28});
  for (const char* part : {"0 (Conv2d)", "(None, 64, 26, 26)", "640", "(None, 32, 24, 24)", "18464", "(None, 18432)",
                           "184330", "Total params: 203,434"})
    BOOST_TEST(contains(sa, part));
  BOOST_TEST(contains(a.summary(), "Conv2d(64 -> 32, kernel 3x3)"));

  // Model B: Conv2D(64, 3) -> MaxPooling2D -> Conv2D(128, 3) -> Flatten -> Dense(10).
  nn::Sequential b(nn::Conv2d(1, 64, 3), nn::ReLU(), nn::MaxPool2d(2), nn::Conv2d(64, 128, 3), nn::ReLU(),
                   nn::Flatten(), nn::Linear(11 * 11 * 128, 10));
  const std::string sb = b.summary({1, 28, 28});
  for (const char* part : {"(None, 64, 13, 13)", "(None, 128, 11, 11)", "73856", "(None, 15488)", "154890",
                           "Total params: 229,386"})
    BOOST_TEST(contains(sb, part));
}

BOOST_AUTO_TEST_SUITE_END()
