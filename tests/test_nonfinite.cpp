// NaN and infinity into softmax and the losses: the results the README's "Tests" section
// documents, worked out by hand from the definitions; never a crash, never an error.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>

#include "tapegrad.hpp"

namespace {

namespace nn = tg::nn;
using tg::TensorD;

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();
const double e = std::exp(1.0);

TensorD leaf(xt::xarray<double> v) { return TensorD::from(std::move(v), true); }

void expect_values(const xt::xarray<double>& actual, const xt::xarray<double>& expected) {
  BOOST_TEST_REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const double a = actual.data()[i], x = expected.data()[i];
    const bool same =
        std::isnan(x) ? std::isnan(a) : std::isinf(x) ? a == x : std::abs(a - x) <= 1e-12 * (1 + std::abs(x));
    BOOST_TEST(same, "element " << i << ": " << a << ", expected " << x);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(non_finite_inputs)

BOOST_AUTO_TEST_CASE(softmax_rows_with_nan_or_infinity) {
  // Each row stands alone: the finite row [0, 0, ln 2] comes out as it would without the others.
  const auto x =
      leaf({{1.0, NaN, 2.0}, {1.0, -Inf, 2.0}, {1.0, Inf, 2.0}, {-Inf, -Inf, -Inf}, {0.0, 0.0, std::log(2.0)}});
  expect_values(tg::softmax(x, 1).value(), {{NaN, NaN, NaN},                   // NaN anywhere: the whole row
                                            {1 / (1 + e), 0.0, e / (1 + e)},   // -Inf: probability 0, a masked class
                                            {0.0, NaN, 0.0},                   // +Inf: Inf / Inf at it, 0 elsewhere
                                            {NaN, NaN, NaN},                   // nothing finite: 0 / 0
                                            {0.25, 0.25, 0.5}});
  expect_values(tg::log_softmax(x, 1).value(), {{NaN, NaN, NaN},
                                                {-std::log(1 + e), -Inf, 1 - std::log(1 + e)},
                                                {-Inf, NaN, -Inf},
                                                {NaN, NaN, NaN},
                                                {std::log(0.25), std::log(0.25), std::log(0.5)}});
}

BOOST_AUTO_TEST_CASE(a_masked_class_leaves_cross_entropy_and_its_gradient_finite) {
  const auto logits = leaf({{1.0, -Inf, 2.0}});
  auto loss = nn::cross_entropy(logits, tg::Labels{0});
  expect_values(loss.value(), xt::xarray<double>(std::log(1 + e)));  // -log(e / (e + e^2))
  loss.backward();
  expect_values(logits.grad().value(), {{1 / (1 + e) - 1, 0.0, e / (1 + e)}});  // softmax - one_hot
  // The same through nll_loss of the log-probabilities; the label's own class masked: +Inf.
  expect_values(nn::nll_loss(tg::log_softmax(logits, 1), tg::Labels{2}).value(),
                xt::xarray<double>(std::log(1 + e) - 1));
  expect_values(nn::cross_entropy(logits, tg::Labels{1}).value(), xt::xarray<double>(Inf));
}

BOOST_AUTO_TEST_CASE(nan_and_infinity_reach_the_loss_value) {
  const auto target = TensorD::from(xt::xarray<double>{{0.0, 1.0, 0.0}});
  for (double bad : {NaN, Inf, -Inf}) {
    BOOST_TEST_CONTEXT("prediction holding " << bad) {
      const auto prediction = leaf({{1.0, bad, 2.0}});
      const double squared = std::isnan(bad) ? NaN : Inf;
      expect_values(nn::sse_loss(prediction, target).value(), xt::xarray<double>(squared));
      expect_values(nn::mse_loss(prediction, target).value(), xt::xarray<double>(squared));
      // softplus(x) - x * t at the bad entry (t = 1): NaN, Inf - Inf, or 0 + Inf.
      expect_values(nn::binary_cross_entropy_with_logits(prediction, target).value(),
                    xt::xarray<double>(bad == -Inf ? Inf : NaN));
      // Labelled at the bad class: NaN or Inf - Inf for NaN or +Inf; a masked label for -Inf.
      expect_values(nn::cross_entropy(prediction, tg::Labels{1}).value(), xt::xarray<double>(bad == -Inf ? Inf : NaN));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
