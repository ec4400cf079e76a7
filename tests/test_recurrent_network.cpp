// PyBrain's recurrent networks: build_network(..., recurrent) with LSTM layers and recurrent
// connections, activate's state until reset, the LSTM layer's step, and BackpropTrainer on a
// SequentialDataSet by backpropagation through time, against numbers worked out by hand from
// PyBrain's formulas (lstm.py, recurrent.py, backprop.py).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <xtensor/xadapt.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/module_parameters.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::parameter;
using tg::testing::set_parameter;

// An array of `shape` from its values, row by row ({{x}} would be ambiguous to xtensor).
xt::xarray<float> array(const std::vector<std::size_t>& shape, const std::vector<float>& values) {
  xt::xarray<float> a = xt::adapt(values, shape);
  return a;
}

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

// y_t = w x_t + u y_{t-1}: a 1-1 linear network whose output feeds itself back.
std::shared_ptr<nn::Network> echo_network(float w, float u) {
  auto net = nn::build_network({1, 1}, {.bias = false, .recurrent = true});
  net->add_recurrent_connection("out", "out");
  set_parameter(*net, "in_to_out", array({1, 1}, {w}));
  set_parameter(*net, "out_to_out_recurrent", array({1, 1}, {u}));
  return net;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(recurrent_network)

BOOST_AUTO_TEST_CASE(lstm_networks_are_built_as_pybrain) {
  // buildNetwork(1, 2, 1, hiddenclass=LSTMLayer, recurrent=True): the LSTM layer takes 4 x 2 gate
  // inputs and gets its own output back; 8 + 8 + 1 + 2 + 16 = 35 weights.
  auto net = nn::build_network({1, 2, 1}, {.hidden = nn::LayerKind::LSTM, .recurrent = true});
  BOOST_TEST((*net)["hidden0"].describe() == "<LSTMLayer 'hidden0'>");
  BOOST_TEST(net->describe() == "RecurrentNetwork(1-2-1, LSTMLayer hidden, LinearLayer out, bias)");
  std::vector<std::string> names;
  for (const auto& [name, tensor] : net->named_parameters()) names.push_back(name + " " + tg::shape_str(tensor.shape()));
  const std::vector<std::string> expected{"bias_to_out (1)", "bias_to_hidden0 (8)", "in_to_hidden0 (8,1)",
                                          "hidden0_to_out (1,2)", "hidden0_to_hidden0_recurrent (8,2)"};
  BOOST_TEST(names == expected, boost::test_tools::per_element());
  BOOST_TEST(net->parameter_count() == 35u);
  BOOST_TEST(net->runs_over_time());
  // Without recurrent = true there is no recurrent connection, but the cell still carries over.
  auto feedforward = nn::build_network({1, 2, 1}, {.hidden = nn::LayerKind::LSTM});
  BOOST_TEST(feedforward->parameter_count() == 19u);
  BOOST_TEST(feedforward->runs_over_time());
  BOOST_TEST(!nn::build_network({1, 2, 1})->runs_over_time());

  BOOST_CHECK_EXCEPTION(nn::build_network({1, 2, 2, 1}, {.hidden = nn::LayerKind::LSTM}), tg::Error,
                        message_contains({"build_network", "more than one hidden layer"}));
  BOOST_CHECK_EXCEPTION(nn::build_network({1, 1}, {.out = nn::LayerKind::LSTM}), tg::Error,
                        message_contains({"output layer cannot be an LSTM layer"}));
  BOOST_CHECK_EXCEPTION(nn::build_network({1, 2, 1})->add_recurrent_connection("out", "hidden0"), tg::Error,
                        message_contains({"add_recurrent_connection('out', 'hidden0')", "is not recurrent"}));
  BOOST_CHECK_EXCEPTION(net->add_recurrent_connection("out", "hidden9"), tg::Error,
                        message_contains({"no layer named 'hidden9'"}));
  BOOST_CHECK_EXCEPTION(net->add_recurrent_connection("out", "in"), tg::Error,
                        message_contains({"the input layer take no recurrent connection"}));
  BOOST_CHECK_EXCEPTION(net->add_recurrent_connection("hidden0", "hidden0"), tg::Error,
                        message_contains({"has that connection already"}));
  BOOST_CHECK_EXCEPTION((*net)(tg::zeros<float>({3, 1})), tg::Error,
                        message_contains({"RecurrentNetwork(1-2-1", "(steps, batch, 1)", "(3,1)"}));
}

// PyBrain's LSTMLayer: gates in, forget, cell, out; c' = f c + i g, y = o tanh(c').
BOOST_AUTO_TEST_CASE(lstm_layer_step_by_hand) {
  nn::NetworkLayer layer(nn::LayerKind::LSTM, 1, "hidden0");
  const tg::Tensor gates = tg::Tensor::from(array({1, 4}, {0.5f, -1.0f, 2.0f, 0.3f}));
  const auto [output, cell] = layer.lstm_step(gates, tg::Tensor::from(array({1, 1}, {0.7f})));
  const double c = sigmoid(0.5) * std::tanh(2.0) + sigmoid(-1.0) * 0.7;
  BOOST_TEST(cell.value()(0, 0) == c, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(output.value()(0, 0) == sigmoid(0.3) * std::tanh(c), boost::test_tools::tolerance(1e-6));
  const double c0 = sigmoid(0.5) * std::tanh(2.0);  // from a zero cell, as forward starts
  BOOST_TEST(layer(gates).value()(0, 0) == sigmoid(0.3) * std::tanh(c0), boost::test_tools::tolerance(1e-6));
  BOOST_CHECK_EXCEPTION(layer(tg::zeros<float>({1, 3})), tg::Error,
                        message_contains({"<LSTMLayer 'hidden0'>", "does not have 4 units"}));
}

// PyBrain's parity network: hidden0 = tanh(W x + V out_before + b), out = tanh(w hidden0 + c).
BOOST_AUTO_TEST_CASE(activate_keeps_the_state_until_reset) {
  auto net = nn::build_network({1, 2, 1}, {.hidden = nn::LayerKind::Tanh, .out = nn::LayerKind::Tanh, .recurrent = true});
  net->add_recurrent_connection("out", "hidden0");
  set_parameter(*net, "in_to_hidden0", array({2, 1}, {0.5f, -1.0f}));
  set_parameter(*net, "out_to_hidden0_recurrent", array({2, 1}, {2.0f, 0.25f}));
  set_parameter(*net, "bias_to_hidden0", {0.1f, 0.2f});
  set_parameter(*net, "hidden0_to_out", array({1, 2}, {1.5f, -0.5f}));
  set_parameter(*net, "bias_to_out", {-0.3f});
  double out = 0;  // nothing came before the first step
  std::vector<double> expected;
  for (const double x : {1.0, -1.0, 1.0}) {
    const double h0 = std::tanh(0.5 * x + 2.0 * out + 0.1), h1 = std::tanh(-1.0 * x + 0.25 * out + 0.2);
    out = std::tanh(1.5 * h0 - 0.5 * h1 - 0.3);
    expected.push_back(out);
  }
  std::vector<float> first_run;
  for (const float x : {1.0f, -1.0f, 1.0f}) first_run.push_back(net->activate({x})[0]);
  BOOST_TEST(first_run == expected, boost::test_tools::tolerance(1e-6) << boost::test_tools::per_element());
  BOOST_TEST(net->activate({1.0f})[0] != first_run[0]);  // the state carried on
  net->reset();
  BOOST_TEST(net->activate({1.0f})[0] == first_run[0]);

  // forward runs whole sequences from a clean state: (steps, batch, inputs).
  const tg::Tensor y = (*net)(tg::Tensor::from(array({3, 1, 1}, {1.0f, -1.0f, 1.0f})));
  BOOST_TEST(y.shape() == (tg::Shape{3, 1, 1}), boost::test_tools::per_element());
  for (std::size_t t = 0; t < 3; ++t) BOOST_TEST(y.value()(t, 0, 0) == expected[t], boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(an_lstm_network_runs_the_same_by_activate_and_forward) {
  nn::manual_seed(4);
  auto net = nn::build_network({2, 3, 2}, {.hidden = nn::LayerKind::LSTM, .recurrent = true});
  const xt::xarray<float> inputs = array({4, 1, 2}, {0.5f, -1.0f, 1.0f, 0.0f, -0.5f, 2.0f, 0.0f, 0.0f});
  const tg::Tensor y = (*net)(tg::Tensor::from(inputs));
  for (std::size_t t = 0; t < 4; ++t) {
    const auto step = net->activate({inputs(t, 0, 0), inputs(t, 0, 1)});
    BOOST_TEST(step[0] == y.value()(t, 0, 0), boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(step[1] == y.value()(t, 0, 1), boost::test_tools::tolerance(1e-6f));
  }
}

// y1 = w x1, y2 = w x2 + u y1 on the sequence x = (1, 2), targets (0.5, 1): PyBrain's error is
// 0.5 * ((y1 - 0.5)^2 + (y2 - 1)^2) over 2 values, and one step moves w and u by -rate times
// dE/dw = (y1 - 0.5) + (y2 - 1)(2 + u), dE/du = (y2 - 1) y1 (through time).
BOOST_AUTO_TEST_CASE(sequential_training_by_backpropagation_through_time_by_hand) {
  const double w = 0.4, u = 0.3, rate = 0.1;
  auto net = echo_network(float(w), float(u));
  nn::SequentialDataSet ds(1, 1);
  ds.new_sequence();
  ds.add_sample({1.0f}, {0.5f});
  ds.add_sample({2.0f}, {1.0f});
  nn::BackpropTrainer trainer(*net, ds, {.learningrate = rate});
  const double y1 = w, y2 = 2 * w + u * y1;
  const double error = 0.5 * ((y1 - 0.5) * (y1 - 0.5) + (y2 - 1) * (y2 - 1));
  BOOST_TEST(trainer.test_on_data(ds) == error / 2, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(trainer.train() == error / 2, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(parameter(*net, "in_to_out") == w - rate * ((y1 - 0.5) + (y2 - 1) * (2 + u)),
             boost::test_tools::tolerance(1e-6));
  BOOST_TEST(parameter(*net, "out_to_out_recurrent") == u - rate * (y2 - 1) * y1, boost::test_tools::tolerance(1e-6));

  // A SupervisedDataSet's samples are sequences of their own: the recurrent weight sees nothing.
  auto fresh = echo_network(float(w), float(u));
  nn::SupervisedDataSet samples(1, 1);
  samples.add_sample({1.0f}, {0.5f});
  samples.add_sample({2.0f}, {1.0f});
  nn::BackpropTrainer sample_trainer(*fresh, samples, {.learningrate = rate});
  const double separate = 0.5 * ((w - 0.5) * (w - 0.5) + (2 * w - 1) * (2 * w - 1));
  BOOST_TEST(sample_trainer.test_on_data(samples) == separate / 2, boost::test_tools::tolerance(1e-6));
  sample_trainer.train();
  BOOST_TEST(parameter(*fresh, "out_to_out_recurrent") == float(u));
}

// Padded sequences of different lengths count their real steps only.
BOOST_AUTO_TEST_CASE(test_on_data_counts_each_sequence_alone) {
  const double w = 0.5, u = -0.5;
  auto net = echo_network(float(w), float(u));
  nn::SequentialDataSet ds(1, 1);
  ds.new_sequence();
  ds.add_sample({1.0f}, {0.0f});
  ds.add_sample({1.0f}, {0.0f});
  ds.add_sample({1.0f}, {0.0f});
  ds.new_sequence();
  ds.add_sample({2.0f}, {0.0f});
  nn::BackpropTrainer trainer(*net, ds);
  const double y1 = w, y2 = w + u * y1, y3 = w + u * y2, z1 = 2 * w;  // the second sequence starts afresh
  const double error = 0.5 * (y1 * y1 + y2 * y2 + y3 * y3 + z1 * z1);
  BOOST_TEST(trainer.test_on_data(ds) == error / 4, boost::test_tools::tolerance(1e-6));
}

// Identical sequences: any split's validation error is the error on the whole data set, so the
// restored weights must give the best validation error.
BOOST_AUTO_TEST_CASE(train_until_convergence_splits_sequences_and_restores_the_best) {
  nn::manual_seed(7);
  auto net = nn::build_network({1, 2, 1}, {.hidden = nn::LayerKind::LSTM, .recurrent = true});
  nn::SequentialDataSet ds(1, 1);
  for (int s = 0; s < 4; ++s) {
    ds.new_sequence();
    for (const float x : {1.0f, -1.0f, 1.0f}) ds.add_sample({x}, {x > 0 ? 0.8f : -0.8f});
  }
  nn::BackpropTrainer trainer(*net, ds, {.learningrate = 0.05});
  const auto result = trainer.train_until_convergence({.max_epochs = 30, .continue_epochs = 3});
  BOOST_TEST(result.validation_errors.size() == result.train_errors.size() + 1);
  BOOST_TEST(trainer.test_on_data(ds) == result.validation_errors[result.best_epoch], boost::test_tools::tolerance(1e-6));
  BOOST_TEST(result.validation_errors[result.best_epoch] < result.validation_errors[0]);

  nn::SequentialDataSet one(1, 1);
  one.add_sample({1.0f}, {1.0f});
  one.add_sample({1.0f}, {1.0f});  // two samples, one sequence: nothing to hold out
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, one).train_until_convergence(), tg::Error,
                        message_contains({"1 sequences are too few"}));
}

BOOST_AUTO_TEST_SUITE_END()
