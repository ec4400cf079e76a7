// The MDLSTM layer: its outputs against the formulas of Graves, Fernandez & Schmidhuber (2007)
// written out position by position here, the whole double layer gradchecked, and bad input.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using Array = xt::xarray<double>;

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// h at every position of x (B, R, C, I) by the raster scan, neighbours outside the grid zero.
Array reference_mdlstm(const Array& x, const Array& w_ih, const Array& w_hh, const Array& b_ih, const Array& b_hh) {
  const std::size_t B = x.shape()[0], R = x.shape()[1], C = x.shape()[2], I = x.shape()[3], H = w_hh.shape()[1] / 2;
  Array h = xt::zeros<double>({B, R, C, H}), c = xt::zeros<double>({B, R, C, H});
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t col = 0; col < C; ++col) {
        std::vector<double> a(5 * H);
        for (std::size_t k = 0; k < 5 * H; ++k) {
          a[k] = b_ih(k) + b_hh(k);
          for (std::size_t i = 0; i < I; ++i) a[k] += w_ih(k, i) * x(b, r, col, i);
          for (std::size_t j = 0; j < H; ++j) {
            if (r > 0) a[k] += w_hh(k, j) * h(b, r - 1, col, j);        // the upper neighbour
            if (col > 0) a[k] += w_hh(k, H + j) * h(b, r, col - 1, j);  // the left one
          }
        }
        for (std::size_t j = 0; j < H; ++j) {
          const double in = sigmoid(a[j]), forget_up = sigmoid(a[H + j]), forget_left = sigmoid(a[2 * H + j]);
          const double cell_input = std::tanh(a[3 * H + j]), out = sigmoid(a[4 * H + j]);
          const double c_up = r > 0 ? c(b, r - 1, col, j) : 0.0, c_left = col > 0 ? c(b, r, col - 1, j) : 0.0;
          c(b, r, col, j) = in * cell_input + forget_up * c_up + forget_left * c_left;
          h(b, r, col, j) = out * std::tanh(c(b, r, col, j));
        }
      }
  return h;
}

BOOST_AUTO_TEST_SUITE(rnn_mdlstm)

BOOST_AUTO_TEST_CASE(outputs_follow_the_formulas_position_by_position) {
  tg::nn::manual_seed(5);
  tg::nn::BasicMDLSTM<double> md(3, 4);
  tg::Generator gen(5);
  const auto x = tg::uniform<double>({2, 3, 4, 3}, -1, 1, gen);
  const auto h = md.forward(x);
  const Array expected = reference_mdlstm(x.value(), md.weight_ih.value(), md.weight_hh.value(), md.bias_ih.value(),
                                          md.bias_hh.value());
  BOOST_TEST(xt::amax(xt::abs(h.value() - expected))() < 1e-12);
  BOOST_TEST(md.describe() == "MDLSTM(3 -> 4)");
  BOOST_TEST(md.parameter_count() == 20u * 3 + 20 * 8 + 2 * 20);
}

BOOST_AUTO_TEST_CASE(the_double_layer_gradchecks_on_a_small_grid) {
  tg::nn::manual_seed(6);
  tg::nn::BasicMDLSTM<double> md(2, 2);
  tg::Generator gen(6);
  const auto x = tg::uniform<double>({2, 2, 3, 2}, -1, 1, gen, true);
  auto inputs = md.parameters();
  inputs.push_back(x);
  BOOST_TEST(tg::gradcheck([&](const std::vector<tg::TensorD>&) { return tg::sum(tg::square(md.forward(x))); }, inputs));
  tg::nn::BasicMDLSTM<double> no_bias(2, 2, false);
  auto fewer = no_bias.parameters();
  fewer.push_back(x);
  BOOST_TEST(tg::gradgradcheck([&](const std::vector<tg::TensorD>&) { return tg::sum(no_bias.forward(x)); }, fewer));
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_layer) {
  tg::nn::MDLSTM md(16, 8);
  BOOST_CHECK_EXCEPTION(md.forward(tg::zeros<float>({2, 7, 7, 15})), tg::Error,
                        tg::testing::message_contains({"MDLSTM: the input must be (B, rows, columns, 16), got shape (2,7,7,15)"}));
  BOOST_CHECK_EXCEPTION(tg::mdlstm_grid(tg::zeros<float>({2, 2, 1, 10}), tg::zeros<float>({10, 3}), {}), tg::Error,
                        tg::testing::message_contains({"mdlstm_grid: the recurrent weight must be (5H, 2H), got shape (10,3)"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
