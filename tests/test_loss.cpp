// Every loss against values worked out by hand for small inputs, in all three reductions; their
// tape gradients against hand-derived ones and gradcheck; and what their errors say.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

namespace nn = tg::nn;
using nn::Reduction;
using tg::TensorD;
using tg::testing::message_contains;

TensorD leaf(xt::xarray<double> v, bool requires_grad = true) { return TensorD::from(std::move(v), requires_grad); }

void expect_close(const xt::xarray<double>& actual, const xt::xarray<double>& expected, double tolerance = 1e-12) {
  BOOST_TEST_REQUIRE(tg::to_shape(actual.shape()) == tg::to_shape(expected.shape()));
  for (std::size_t i = 0; i < expected.size(); ++i)
    BOOST_TEST(std::abs(actual.data()[i] - expected.data()[i]) <= tolerance * (1 + std::abs(expected.data()[i])),
               "element " << i << ": " << actual.data()[i] << " != expected " << expected.data()[i]);
}

void expect_close(const TensorD& actual, double expected, double tolerance = 1e-12) {
  expect_close(actual.value(), xt::xarray<double>(expected), tolerance);
}

using LossFn = std::function<TensorD(const TensorD&, const TensorD&, Reduction)>;

// gradcheck of loss(prediction, target) in each reduction, for every input that requires grad.
void gradcheck_all_reductions(const LossFn& loss, const TensorD& prediction, const TensorD& target) {
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum})
    BOOST_TEST(tg::gradcheck([&](const std::vector<TensorD>& in) { return loss(in[0], in[1], r); },
                             {prediction, target}),
               "reduction " << static_cast<int>(r));
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

BOOST_AUTO_TEST_SUITE(regression)

BOOST_AUTO_TEST_CASE(sse_and_mse_by_hand) {
  auto p = leaf({{1.0, 2.0}, {3.0, 4.0}});
  const auto t = leaf({{0.0, 2.0}, {1.0, 1.0}}, false);
  // Differences 1, 0, 2, 3: squares 1, 0, 4, 9.
  expect_close(nn::sse_loss(p, t), 14.0);  // the default reduction of sse_loss is Sum
  expect_close(nn::sse_loss(p, t, Reduction::Mean), 3.5);
  expect_close(nn::sse_loss(p, t, Reduction::None).value(), {{1.0, 0.0}, {4.0, 9.0}});
  expect_close(nn::mse_loss(p, t), 3.5);  // mse_loss's default is Mean
  expect_close(nn::mse_loss(p, t, Reduction::Sum), 14.0);
  expect_close(nn::mse_loss(p, t, Reduction::None).value(), {{1.0, 0.0}, {4.0, 9.0}});

  // d/dp sum (p - t)^2 = 2 (p - t); the mean divides by the 4 elements.
  nn::sse_loss(p, t).backward();
  expect_close(p.grad().value(), {{2.0, 0.0}, {4.0, 6.0}});
  p.zero_grad();
  nn::mse_loss(p, t).backward();
  expect_close(p.grad().value(), {{0.5, 0.0}, {1.0, 1.5}});

  // The tutorials' SSE/2 on float: the gradient is just the error.
  const auto y = tg::Tensor::from(xt::xarray<float>{0.25f, 0.75f}, true);
  (0.5f * nn::sse_loss(y, tg::Tensor::from(xt::xarray<float>{0.0f, 1.0f}))).backward();
  BOOST_TEST(y.grad().value() == (xt::xarray<float>{0.25f, -0.25f}));

  const auto tg_ = leaf({{0.5, -1.0}, {0.3, 2.0}});
  gradcheck_all_reductions([](auto& a, auto& b, Reduction r) { return nn::sse_loss(a, b, r); }, p, tg_);
  gradcheck_all_reductions([](auto& a, auto& b, Reduction r) { return nn::mse_loss(a, b, r); }, p, tg_);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(classification)

BOOST_AUTO_TEST_CASE(cross_entropy_with_labels_by_hand) {
  const auto logits = leaf({{1.0, 2.0, 3.0}, {1.0, 1.0, 1.0}});
  const tg::Labels labels = {2, 0};
  // Row 0: log(e + e^2 + e^3) - 3; row 1: log(3 e) - 1 = log 3.
  const double row0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0;
  const double row1 = std::log(3.0);
  expect_close(nn::cross_entropy(logits, labels), (row0 + row1) / 2);
  expect_close(nn::cross_entropy(logits, labels, Reduction::Sum), row0 + row1);
  expect_close(nn::cross_entropy(logits, labels, Reduction::None).value(), {row0, row1});

  // d/dlogits: (softmax - one_hot) / N.
  nn::cross_entropy(logits, labels).backward();
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  expect_close(logits.grad().value(),
               {{std::exp(1.0) / z / 2, std::exp(2.0) / z / 2, (std::exp(3.0) / z - 1) / 2},
                {(1.0 / 3 - 1) / 2, 1.0 / 6, 1.0 / 6}});

  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum})
    BOOST_TEST(tg::gradcheck([&](const std::vector<TensorD>& in) { return nn::cross_entropy(in[0], labels, r); },
                             {leaf({{0.3, -1.2, 0.8}, {2.0, 0.1, -0.5}})}));
}

BOOST_AUTO_TEST_CASE(cross_entropy_is_stable_for_large_logits) {
  const auto logits = leaf({{1000.0, 0.0}, {-1000.0, 1000.0}});
  expect_close(nn::cross_entropy(logits, {1, 0}, Reduction::None).value(), {1000.0, 2000.0});
  nn::cross_entropy(logits, {1, 0}, Reduction::Sum).backward();
  expect_close(logits.grad().value(), {{1.0, -1.0}, {-1.0, 1.0}});

  const auto f = tg::Tensor::from(xt::xarray<float>{{100.0f, -100.0f}}, true);
  BOOST_TEST(nn::cross_entropy(f, {0}).item() == 0.0f);
}

BOOST_AUTO_TEST_CASE(cross_entropy_with_probabilities_by_hand) {
  const auto logits = leaf({{1.0, 2.0, 3.0}, {1.0, 1.0, 1.0}});
  // One-hot targets give the labels' loss.
  const auto one_hot = leaf({{0.0, 0.0, 1.0}, {1.0, 0.0, 0.0}}, false);
  expect_close(nn::cross_entropy(logits, one_hot).value(), nn::cross_entropy(logits, {2, 0}).value());
  // Soft targets: -sum_c t_c log_softmax_c.
  const auto soft = leaf({{0.25, 0.25, 0.5}, {0.0, 0.5, 0.5}}, false);
  const double lse0 = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  const double row0 = -(0.25 * (1 - lse0) + 0.25 * (2 - lse0) + 0.5 * (3 - lse0));
  const double row1 = std::log(3.0);
  expect_close(nn::cross_entropy(logits, soft, Reduction::None).value(), {row0, row1});
  expect_close(nn::cross_entropy(logits, soft, Reduction::Sum), row0 + row1);
  expect_close(nn::cross_entropy(logits, soft), (row0 + row1) / 2);

  gradcheck_all_reductions([](auto& a, auto& b, Reduction r) { return nn::cross_entropy(a, b, r); },
                           leaf({{0.3, -1.2, 0.8}, {2.0, 0.1, -0.5}}), leaf({{0.2, 0.3, 0.5}, {0.6, 0.1, 0.3}}));
}

BOOST_AUTO_TEST_CASE(nll_loss_by_hand) {
  const auto log_probs = leaf({{-0.5, -1.0, -2.0}, {-3.0, -0.1, -4.0}});
  expect_close(nn::nll_loss(log_probs, {1, 1}, Reduction::None).value(), {1.0, 0.1});
  expect_close(nn::nll_loss(log_probs, {1, 1}), 0.55);
  expect_close(nn::nll_loss(log_probs, {0, 2}, Reduction::Sum), 4.5);
  nn::nll_loss(log_probs, {0, 2}, Reduction::Sum).backward();
  expect_close(log_probs.grad().value(), {{-1.0, 0.0, 0.0}, {0.0, 0.0, -1.0}});
  // log_softmax then nll_loss is cross_entropy.
  const auto logits = leaf({{0.3, -1.2, 0.8}, {2.0, 0.1, -0.5}});
  expect_close(nn::nll_loss(tg::log_softmax(logits, 1), {2, 1}).value(), nn::cross_entropy(logits, {2, 1}).value());
  for (Reduction r : {Reduction::None, Reduction::Mean, Reduction::Sum})
    BOOST_TEST(tg::gradcheck([&](const std::vector<TensorD>& in) { return nn::nll_loss(in[0], {2, 0}, r); }, {logits}));
}

BOOST_AUTO_TEST_CASE(binary_cross_entropy_by_hand) {
  const auto p = leaf({0.9, 0.2, 0.5, 0.7});
  const auto t = leaf({1.0, 0.0, 1.0, 0.25}, false);
  const std::vector<double> each = {-std::log(0.9), -std::log(0.8), std::log(2.0),
                                    -(0.25 * std::log(0.7) + 0.75 * std::log(0.3))};
  expect_close(nn::binary_cross_entropy(p, t, Reduction::None).value(), {each[0], each[1], each[2], each[3]});
  const double total = each[0] + each[1] + each[2] + each[3];
  expect_close(nn::binary_cross_entropy(p, t, Reduction::Sum), total);
  expect_close(nn::binary_cross_entropy(p, t), total / 4);

  // d/dp = (p - t) / (p (1 - p)).
  nn::binary_cross_entropy(p, t, Reduction::Sum).backward();
  expect_close(p.grad().value(), {-1 / 0.9, 1 / 0.8, -2.0, 0.45 / 0.21});

  gradcheck_all_reductions([](auto& a, auto& b, Reduction r) { return nn::binary_cross_entropy(a, b, r); },
                           leaf({0.9, 0.2, 0.5, 0.7}), leaf({0.1, 0.4, 0.8, 0.25}));  // inside (0, 1), where the target may be moved
}

BOOST_AUTO_TEST_CASE(binary_cross_entropy_clamps_its_logs_at_minus_100) {
  // A certain wrong answer costs 100, as in PyTorch; a certain right one costs nothing.
  const auto p = leaf({0.0, 1.0, 0.0, 1.0});
  const auto t = leaf({1.0, 0.0, 0.0, 1.0}, false);
  expect_close(nn::binary_cross_entropy(p, t, Reduction::None).value(), {100.0, 100.0, 0.0, 0.0});
  nn::binary_cross_entropy(p, t, Reduction::Sum).backward();
  for (double g : p.grad().value()) BOOST_TEST(std::isfinite(g));

  const auto f = tg::Tensor::from(xt::xarray<float>{0.0f, 1.0f}, true);
  const auto loss = nn::binary_cross_entropy(f, tg::Tensor::from(xt::xarray<float>{1.0f, 1.0f}));
  BOOST_TEST(loss.item() == 50.0f);
  loss.backward();
  for (float g : f.grad().value()) BOOST_TEST(std::isfinite(g));
}

BOOST_AUTO_TEST_CASE(binary_cross_entropy_with_logits_by_hand) {
  const auto x = leaf({-2.0, 0.0, 3.0});
  const auto t = leaf({0.0, 1.0, 0.5}, false);
  // log(1 + e^x) - x t.
  const std::vector<double> each = {std::log1p(std::exp(-2.0)), std::log(2.0), std::log1p(std::exp(3.0)) - 1.5};
  expect_close(nn::binary_cross_entropy_with_logits(x, t, Reduction::None).value(), {each[0], each[1], each[2]});
  expect_close(nn::binary_cross_entropy_with_logits(x, t, Reduction::Sum), each[0] + each[1] + each[2]);
  expect_close(nn::binary_cross_entropy_with_logits(x, t), (each[0] + each[1] + each[2]) / 3);

  // d/dx = sigmoid(x) - t, also at x = 0.
  nn::binary_cross_entropy_with_logits(x, t, Reduction::Sum).backward();
  expect_close(x.grad().value(), {sigmoid(-2.0), -0.5, sigmoid(3.0) - 0.5});

  // It agrees with binary_cross_entropy of the sigmoid, and stays finite where that saturates.
  expect_close(nn::binary_cross_entropy_with_logits(x, t).value(),
               nn::binary_cross_entropy(tg::sigmoid(x), t).value(), 1e-12);
  const auto big = leaf({1000.0, -1000.0, 1000.0});
  expect_close(nn::binary_cross_entropy_with_logits(big, leaf({1.0, 1.0, 0.0}, false), Reduction::None).value(),
               {0.0, 1000.0, 1000.0});
  const auto f = tg::Tensor::from(xt::xarray<float>{-100.0f, 100.0f}, true);
  BOOST_TEST(nn::binary_cross_entropy_with_logits(f, tg::Tensor::from(xt::xarray<float>{1.0f, 0.0f})).item() == 100.0f);

  gradcheck_all_reductions(
      [](auto& a, auto& b, Reduction r) { return nn::binary_cross_entropy_with_logits(a, b, r); },
      leaf({-2.0, 0.0, 3.0, 0.4}), leaf({0.1, 0.9, 0.5, 0.3}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(loss_errors)

BOOST_AUTO_TEST_CASE(shape_mismatches_name_the_loss_and_both_shapes) {
  const auto a = leaf({{0.5, 0.5}, {0.5, 0.5}});
  const auto b = leaf({{0.5, 0.5, 0.5}, {0.5, 0.5, 0.5}});
  const auto c = leaf({0.5, 0.5});
  BOOST_CHECK_EXCEPTION(nn::sse_loss(a, b), tg::Error,
                        message_contains({"sse_loss", "prediction has shape (2,2)", "target has shape (2,3)"}));
  BOOST_CHECK_EXCEPTION(nn::mse_loss(a, c), tg::Error, message_contains({"mse_loss", "(2,2)", "(2)"}));
  BOOST_CHECK_EXCEPTION(nn::cross_entropy(a, b), tg::Error, message_contains({"cross_entropy", "(2,2)", "(2,3)"}));
  BOOST_CHECK_EXCEPTION(nn::cross_entropy(c, c), tg::Error, message_contains({"cross_entropy", "(N, C)", "(2)"}));
  BOOST_CHECK_EXCEPTION(nn::binary_cross_entropy(a, b), tg::Error,
                        message_contains({"binary_cross_entropy", "(2,2)", "(2,3)"}));
  BOOST_CHECK_EXCEPTION(nn::binary_cross_entropy_with_logits(c, a), tg::Error,
                        message_contains({"binary_cross_entropy_with_logits", "(2)", "(2,2)"}));
}

BOOST_AUTO_TEST_CASE(bad_labels_name_the_label_its_index_and_the_classes) {
  const auto logits = leaf({{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}});
  BOOST_CHECK_EXCEPTION(nn::cross_entropy(logits, {0, 3}), tg::Error,
                        message_contains({"cross_entropy", "label 3 at index 1", "3 classes"}));
  BOOST_CHECK_EXCEPTION(nn::nll_loss(logits, {7, 0}), tg::Error,
                        message_contains({"nll_loss", "label 7 at index 0", "3 classes"}));
  BOOST_CHECK_EXCEPTION(nn::cross_entropy(logits, {0, 1, 2}), tg::Error,
                        message_contains({"cross_entropy", "3 labels", "2 rows", "(2,3)"}));
  BOOST_CHECK_EXCEPTION(nn::nll_loss(leaf({0.1, 0.2}), {0}), tg::Error, message_contains({"nll_loss", "(N, C)", "(2)"}));
}

BOOST_AUTO_TEST_CASE(probabilities_outside_zero_one_are_refused) {
  const auto ok = leaf({0.5, 0.5});
  BOOST_CHECK_EXCEPTION(nn::binary_cross_entropy(leaf({0.5, 1.5}), ok), tg::Error,
                        message_contains({"binary_cross_entropy", "prediction", "1.5", "index 1", "[0, 1]"}));
  BOOST_CHECK_EXCEPTION(nn::binary_cross_entropy(ok, leaf({-0.5, 0.5})), tg::Error,
                        message_contains({"binary_cross_entropy", "target", "-0.5", "index 0"}));
  BOOST_CHECK_EXCEPTION(nn::binary_cross_entropy(leaf({0.5, std::nan("")}), ok), tg::Error,
                        message_contains({"binary_cross_entropy", "nan"}));
  BOOST_CHECK_EXCEPTION(nn::binary_cross_entropy_with_logits(ok, leaf({2.0, 0.5})), tg::Error,
                        message_contains({"binary_cross_entropy_with_logits", "target", "2"}));
  BOOST_CHECK_EXCEPTION(nn::cross_entropy(leaf({{0.5, 0.5}}), leaf({{1.5, -0.5}})), tg::Error,
                        message_contains({"cross_entropy", "target", "1.5"}));
}

BOOST_AUTO_TEST_SUITE_END()
