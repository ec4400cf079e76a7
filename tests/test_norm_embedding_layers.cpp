// Normalization and embedding layers: batch-norm running statistics and train/eval behaviour,
// buffers in the state dict, layer norm and embedding lookups against numbers worked out by hand.
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

std::vector<std::string> keys_of(const nn::Module& m) { return m.state_dict().keys(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(conv_norm_embedding_layers)

BOOST_AUTO_TEST_CASE(batch_norm_running_statistics_by_hand) {
  nn::BatchNorm1d bn(2);
  BOOST_TEST(bn.weight.value() == (Array{1, 1}));
  BOOST_TEST(bn.bias.value() == (Array{0, 0}));
  BOOST_TEST(bn.running_mean.value() == (Array{0, 0}));
  BOOST_TEST(bn.running_var.value() == (Array{1, 1}));

  // Batch 1: means (2, 4), biased variances (1, 4), unbiased (2, 8).
  const auto y = bn(tg::Tensor::from(Array{{1, 2}, {3, 6}}));
  expect_close(y.value(), Array{{-1, -1}, {1, 1}}, "normalized batch", 1e-4);
  expect_close(bn.running_mean.value(), Array{0.2f, 0.4f}, "running mean after 1 step");
  expect_close(bn.running_var.value(), Array{1.1f, 1.7f}, "running variance after 1 step");
  // Batch 2: means (2, 2), unbiased variances (12, 4).
  bn(tg::Tensor::from(Array{{0, 0}, {0, 4}, {6, 2}}));
  expect_close(bn.running_mean.value(), Array{0.38f, 0.56f}, "running mean after 2 steps");
  expect_close(bn.running_var.value(), Array{2.19f, 1.93f}, "running variance after 2 steps");

  // Evaluation uses the running statistics, leaves them alone and takes a batch of one.
  set_value(bn.weight, Array{2, 1});
  set_value(bn.bias, Array{0, 1});
  bn.eval();
  const auto e = bn(tg::Tensor::from(Array{{1, 1}}));
  expect_close(e.value(), Array{{2 * 0.62f / std::sqrt(2.19f + 1e-5f), 0.44f / std::sqrt(1.93f + 1e-5f) + 1}},
               "evaluation");
  expect_close(bn.running_mean.value(), Array{0.38f, 0.56f}, "running mean after evaluation");
  bn.train();
  BOOST_CHECK_EXCEPTION(bn(tg::Tensor::from(Array{{1, 1}})), tg::Error,
                        message_contains({"batch_norm: training needs more than one value per channel", "(1,2)"}));
  BOOST_CHECK_EXCEPTION(bn(tg::Tensor::from(Array{{1, 1, 1}, {2, 2, 2}})), tg::Error,
                        message_contains({"batch_norm: running_mean of shape (2)", "input of shape (2,3)"}));
  BOOST_CHECK_EXCEPTION(bn(tg::zeros<float>({2, 2, 1, 1})), tg::Error,
                        message_contains({"BatchNorm1d: the input must be (N,C) or (N,C,L), got shape (2,2,1,1)"}));
}

BOOST_AUTO_TEST_CASE(batch_norm_2d_statistics_and_gradients) {
  nn::BatchNorm2d bn(2);
  // Channel 0 holds 0..7 over (N, H, W): mean 3.5, biased variance 5.25, unbiased 6. Channel 1 is
  // channel 0 doubled.
  Array x = xt::zeros<float>({2, 2, 2, 2});
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t i = 0; i < 4; ++i) {
      x(n, 0, i / 2, i % 2) = static_cast<float>(4 * n + i);
      x(n, 1, i / 2, i % 2) = static_cast<float>(2 * (4 * n + i));
    }
  const auto y = bn(tg::Tensor::from(x));
  expect_close(bn.running_mean.value(), Array{0.35f, 0.7f}, "running mean");
  expect_close(bn.running_var.value(), Array{0.9f + 0.6f, 0.9f + 2.4f}, "running variance");
  expect_close(Array{y.value()(1, 0, 1, 1)}, Array{3.5f / std::sqrt(5.25f + 1e-5f)}, "normalized value");
  // For sum(y) the bias gradient counts the elements of each channel and the weight gradient
  // sums the normalized values, which is zero.
  tg::sum(y).backward();
  expect_close(bn.bias.grad().value(), Array{8, 8}, "bias gradient");
  expect_close(bn.weight.grad().value(), Array{0, 0}, "weight gradient", 1e-4);
  BOOST_TEST(bn.describe() == "BatchNorm2d(2)");
  BOOST_TEST(nn::BatchNorm2d(3, {.eps = 1e-3, .affine = false}).describe() == "BatchNorm2d(3, eps=0.001, no affine)");
  BOOST_CHECK_EXCEPTION(bn(tg::zeros<float>({2, 2})), tg::Error,
                        message_contains({"BatchNorm2d: the input must be (N,C,H,W), got shape (2,2)"}));
}

BOOST_AUTO_TEST_CASE(batch_norm_buffers_are_state_not_parameters) {
  nn::Sequential net(nn::Conv2d(1, 4, 3), nn::BatchNorm2d(4), nn::ReLU());
  BOOST_TEST(keys_of(net) == (std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                                                       "1.running_var"}),
             boost::test_tools::per_element());
  BOOST_TEST(net.parameters().size() == 4u);
  BOOST_TEST(net.buffers().size() == 2u);
  BOOST_TEST(net.parameter_count() == 40u + 8u);
  BOOST_TEST(contains(net.summary(), "Non-trainable params: 8"));

  // Running statistics travel with the state dict.
  net(tg::uniform<float>({3, 1, 5, 5}, -1.0f, 1.0f, nn::default_generator()));
  nn::Sequential copy(nn::Conv2d(1, 4, 3), nn::BatchNorm2d(4), nn::ReLU());
  copy.load_state_dict(net.state_dict());
  const auto& bn = *std::static_pointer_cast<nn::BatchNorm2d>(copy[1]);
  BOOST_TEST(bn.running_var.value() == std::static_pointer_cast<nn::BatchNorm2d>(net[1])->running_var.value());
  BOOST_TEST(!(bn.running_var.value() == xt::ones<float>({4})));
}

BOOST_AUTO_TEST_CASE(layer_norm_by_hand) {
  nn::LayerNorm norm(3);
  const auto x = tg::Tensor::from(Array{{1, 2, 3}, {2, 2, 8}});
  const float a = 1.0f / std::sqrt(2.0f / 3.0f + 1e-5f), b = 1.0f / std::sqrt(8.0f + 1e-5f);
  expect_close(norm(x).value(), Array{{-a, 0, a}, {-2 * b, -2 * b, 4 * b}}, "normalized rows");
  set_value(norm.weight, Array{1, 2, 3});
  set_value(norm.bias, Array{0, 1, 0});
  expect_close(norm(x).value(), Array{{-a, 1, 3 * a}, {-2 * b, 1 - 4 * b, 12 * b}}, "scaled and shifted");
  BOOST_TEST(norm.describe() == "LayerNorm(3)");
  BOOST_TEST(norm.parameter_count() == 6u);
  // Train and eval behave the same; there is no state besides the parameters.
  norm.eval();
  expect_close(norm(x).value(), Array{{-a, 1, 3 * a}, {-2 * b, 1 - 4 * b, 12 * b}}, "in evaluation");
  BOOST_TEST(norm.buffers().empty());

  nn::LayerNorm plane(tg::Shape{2, 3});
  BOOST_TEST(plane.describe() == "LayerNorm((2,3))");
  const auto y = plane(tg::Tensor::from(Array{{{1, 2, 3}, {2, 2, 8}}}));
  BOOST_TEST(std::abs(xt::mean(y.value())()) < 1e-6);
  BOOST_TEST(std::abs(xt::variance(y.value())() - 1.0) < 1e-4);
  BOOST_CHECK_EXCEPTION(norm(tg::zeros<float>({2, 4})), tg::Error,
                        message_contains({"layer_norm: input of shape (2,4) does not end with the normalized shape (3)"}));
}

BOOST_AUTO_TEST_CASE(embedding_lookup_and_gradient) {
  nn::manual_seed(8);
  nn::Embedding embed(5, 3);
  BOOST_TEST(embed.describe() == "Embedding(5, 3)");
  BOOST_TEST(embed.parameter_count() == 15u);
  const Array w = embed.weight.value();
  const auto y = embed(tg::Tensor::from(Array{{0, 4}, {4, 1}}));
  BOOST_TEST(tg::shape_str(y.shape()) == "(2,2,3)");
  for (std::size_t j = 0; j < 3; ++j) {
    BOOST_TEST(y.value()(0, 0, j) == w(0, j));
    BOOST_TEST(y.value()(0, 1, j) == w(4, j));
    BOOST_TEST(y.value()(1, 0, j) == w(4, j));
    BOOST_TEST(y.value()(1, 1, j) == w(1, j));
  }
  // Row 4 is used twice and gets both gradients; rows 2 and 3 are unused.
  const Array g = {{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}};
  tg::sum(y * tg::Tensor::from(g)).backward();
  expect_close(embed.weight.grad().value(), Array{{1, 2, 3}, {10, 11, 12}, {0, 0, 0}, {0, 0, 0}, {11, 13, 15}},
               "weight gradient");

  BOOST_CHECK_EXCEPTION(embed(tg::Tensor::from(Array{1, 5})), tg::Error,
                        message_contains({"embedding: index 5 at position 1 is out of range", "(5,3)"}));
  BOOST_CHECK_EXCEPTION(embed(tg::Tensor::from(Array{1.5f})), tg::Error,
                        message_contains({"Embedding: index 1.5", "not a whole number"}));

  // N(0, 1) initialisation, as PyTorch.
  nn::Embedding big(100, 50);
  BOOST_TEST(std::abs(xt::mean(big.weight.value())()) < 0.05);
  BOOST_TEST(std::abs(std::sqrt(xt::variance(big.weight.value())()) - 1.0) < 0.05);
}

BOOST_AUTO_TEST_SUITE_END()
