// PyBrain's BackpropTrainer: its error, updates and train_until_convergence against numbers worked
// out by hand from PyBrain's formulas (backprop.py, gradientdescent.py), and its errors.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/module_parameters.hpp"
#include "tests/pybrain_checks.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::parameter;
using tg::testing::set_parameter;
using namespace tg::testing::pybrain;

// n copies of input `x` with target `t`, for a 1-1 network.
nn::SupervisedDataSet copies(std::size_t n, float x, float t) {
  nn::SupervisedDataSet ds(1, 1);
  for (std::size_t i = 0; i < n; ++i) ds.add_sample({x}, {t});
  return ds;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(network)

// Batch learning on a 2-1 linear network: the error is PyBrain's (0.5 * squared error summed,
// over samples * outputs) before the update, and each epoch's step is
// v = momentum * v - rate * (gradient summed over the samples + weightdecay * w); w += v; rate *= lrdecay.
BOOST_AUTO_TEST_CASE(batch_training_error_and_steps_by_hand) {
  auto net = nn::build_network({2, 1});
  set_parameter(*net, "in_to_out", {{0.5f, -1.0f}});
  set_parameter(*net, "bias_to_out", {0.25f});
  nn::SupervisedDataSet ds(2, 1);
  ds.add_sample({1, 2}, {1});
  ds.add_sample({-1, 0}, {0});
  const double lr = 0.1, momentum = 0.5, decay = 0.01, lrdecay = 0.9;
  nn::BackpropTrainer trainer(*net, ds,
                              {.learningrate = lr, .lrdecay = lrdecay, .momentum = momentum, .weightdecay = decay,
                               .batchlearning = true});
  double w[3] = {0.5, -1.0, 0.25}, v[3] = {0, 0, 0}, rate = lr;
  const double x[2][2] = {{1, 2}, {-1, 0}}, t[2] = {1, 0};
  for (int epoch = 0; epoch < 2; ++epoch) {
    double error = 0, grad[3] = {0, 0, 0};
    for (int s = 0; s < 2; ++s) {
      const double y = w[0] * x[s][0] + w[1] * x[s][1] + w[2];
      error += 0.5 * (t[s] - y) * (t[s] - y);
      grad[0] += (y - t[s]) * x[s][0], grad[1] += (y - t[s]) * x[s][1], grad[2] += y - t[s];
    }
    for (int i = 0; i < 3; ++i) {
      v[i] = momentum * v[i] - rate * (grad[i] + decay * w[i]);
      w[i] += v[i];
    }
    rate *= lrdecay;
    BOOST_TEST(trainer.train() == error / 2, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(parameter(*net, "in_to_out", 0) == w[0], boost::test_tools::tolerance(1e-5));
    BOOST_TEST(parameter(*net, "in_to_out", 1) == w[1], boost::test_tools::tolerance(1e-5));
    BOOST_TEST(parameter(*net, "bias_to_out") == w[2], boost::test_tools::tolerance(1e-5));
  }
  BOOST_TEST(trainer.learningrate() == lr * lrdecay * lrdecay, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(trainer.epochs() == 2u);
}

// Online learning through a sigmoid hidden unit, one sample (so the order is known): every
// sample is a step, and lrdecay applies after each.
BOOST_AUTO_TEST_CASE(online_training_through_a_sigmoid_layer_by_hand) {
  auto net = nn::build_network({1, 1, 1});
  set_parameter(*net, "in_to_hidden0", matrix(1, 1, {0.8f}));
  set_parameter(*net, "bias_to_hidden0", {-0.2f});
  set_parameter(*net, "hidden0_to_out", matrix(1, 1, {1.5f}));
  set_parameter(*net, "bias_to_out", {0.1f});
  const nn::SupervisedDataSet ds = copies(1, 0.5f, 1.0f);
  const double lr = 0.3, momentum = 0.9, lrdecay = 0.5;
  nn::BackpropTrainer trainer(*net, ds, {.learningrate = lr, .lrdecay = lrdecay, .momentum = momentum});
  double a = 0.8, b = -0.2, c = 1.5, d = 0.1, v[4] = {0, 0, 0, 0}, rate = lr;
  for (int epoch = 0; epoch < 3; ++epoch) {
    const double h = sigmoid(a * 0.5 + b), y = c * h + d, e = y - 1.0;
    const double grad[4] = {e * c * h * (1 - h) * 0.5, e * c * h * (1 - h), e * h, e};
    double* w[4] = {&a, &b, &c, &d};
    for (int i = 0; i < 4; ++i) {
      v[i] = momentum * v[i] - rate * grad[i];
      *w[i] += v[i];
    }
    rate *= lrdecay;
    BOOST_TEST(trainer.train() == 0.5 * e * e, boost::test_tools::tolerance(1e-4));  // e^2 of float weights
  }
  BOOST_TEST(parameter(*net, "in_to_hidden0") == a, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(parameter(*net, "bias_to_hidden0") == b, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(parameter(*net, "hidden0_to_out") == c, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(parameter(*net, "bias_to_out") == d, boost::test_tools::tolerance(1e-5));
}

// PyBrain divides by samples * outputs, and a softmax output passes (output - target) to its input.
BOOST_AUTO_TEST_CASE(softmax_output_error_and_pass_through_gradient) {
  auto net = nn::build_network({1, 2}, {.out = nn::LayerKind::Softmax});
  set_parameter(*net, "in_to_out", matrix(2, 1, {0, 0}));
  set_parameter(*net, "bias_to_out", {1.0f, 0.0f});
  const nn::SupervisedDataSet ds = [] {
    nn::SupervisedDataSet d(1, 2);
    d.add_sample({2}, {0, 1});
    return d;
  }();
  nn::BackpropTrainer trainer(*net, ds, {.learningrate = 0.5, .batchlearning = true});
  const double p0 = std::exp(1.0) / (std::exp(1.0) + 1), p1 = 1 - p0;
  const double error = 0.5 * (p0 * p0 + (1 - p1) * (1 - p1));
  BOOST_TEST(trainer.train() == error / 2, boost::test_tools::tolerance(1e-6));  // one sample, two outputs
  // Not softmax's Jacobian: the bias moves by -rate * (output - target).
  BOOST_TEST(parameter(*net, "bias_to_out", 0) == 1 - 0.5 * p0, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(parameter(*net, "bias_to_out", 1) == -0.5 * (p1 - 1), boost::test_tools::tolerance(1e-6));
  BOOST_TEST(parameter(*net, "in_to_out", 0) == -0.5 * p0 * 2, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(trainer.test_on_data(ds) < error / 2);
}

// y = w x on copies of (1, 1): every split has the same samples, so the validation error is
// 0.5 * (w - 1)^2, and each sample's step multiplies w - 1 by (1 - rate).
BOOST_AUTO_TEST_CASE(train_until_convergence_stops_when_validation_rises_and_restores_the_best) {
  auto net = nn::build_network({1, 1}, {.bias = false});
  set_parameter(*net, "in_to_out", matrix(1, 1, {1.5f}));
  const nn::SupervisedDataSet ds = copies(4, 1.0f, 1.0f);  // 3 for training, 1 for validation
  nn::BackpropTrainer trainer(*net, ds, {.learningrate = 2.5});  // w - 1 grows by -1.5 per sample
  const auto result = trainer.train_until_convergence({.max_epochs = 100, .continue_epochs = 3});
  // Rising from the first epoch: after 5 epochs the last 3 validation errors all exceed the 3 before.
  BOOST_TEST(result.train_errors.size() == 5u);
  BOOST_TEST(result.validation_errors.size() == 6u);
  BOOST_TEST(result.best_epoch == 1u);  // the first epoch counts as best, as in PyBrain
  double distance = 0.5;  // w - 1
  BOOST_TEST(result.validation_errors[0] == 0.5 * distance * distance, boost::test_tools::tolerance(1e-6));
  for (std::size_t epoch = 0; epoch < 5; ++epoch) {
    double errors = 0;
    for (int sample = 0; sample < 3; ++sample) {
      errors += 0.5 * distance * distance;
      distance *= -1.5;
    }
    BOOST_TEST(result.train_errors[epoch] == errors / 3, boost::test_tools::tolerance(1e-5));
    BOOST_TEST(result.validation_errors[epoch + 1] == 0.5 * distance * distance, boost::test_tools::tolerance(1e-5));
  }
  // The weights after epoch 1 are back, and the trainer uses the whole data set again.
  BOOST_TEST(parameter(*net, "in_to_out") == 1 + 0.5 * -3.375, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(trainer.test_on_data(ds) == result.validation_errors[1], boost::test_tools::tolerance(1e-6));
  BOOST_TEST(trainer.train() == 0.25 * (0.5 * 1.6875 * 1.6875 * (1 + 2.25 + 2.25 * 2.25 + 2.25 * 2.25 * 2.25)),
             boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(train_until_convergence_stops_at_max_epochs_or_a_plateau) {
  auto net = nn::build_network({1, 1}, {.bias = false});
  set_parameter(*net, "in_to_out", matrix(1, 1, {3.0f}));
  const nn::SupervisedDataSet ds = copies(8, 1.0f, 1.0f);  // 6 for training, 2 for validation
  nn::BackpropTrainer halving(*net, ds, {.learningrate = 0.5});  // w - 1 halves per sample
  const auto limited = halving.train_until_convergence({.max_epochs = 4});
  BOOST_TEST(limited.train_errors.size() == 4u);
  BOOST_TEST(limited.best_epoch == 4u);
  BOOST_TEST(parameter(*net, "in_to_out") == 1 + 2 * std::pow(0.5, 24), boost::test_tools::tolerance(1e-6));

  set_parameter(*net, "in_to_out", matrix(1, 1, {3.0f}));
  nn::BackpropTrainer exact(*net, ds, {.learningrate = 1.0});  // w = 1 after the first sample
  const auto plateau = exact.train_until_convergence({.continue_epochs = 3});
  BOOST_TEST(plateau.train_errors.size() == 5u);  // 6 equal validation errors (0) after epoch 5
  BOOST_TEST(plateau.best_epoch == 1u);
  BOOST_TEST(plateau.validation_errors.back() == 0.0);
}

BOOST_AUTO_TEST_CASE(trainer_errors_name_the_problem) {
  auto net = nn::build_network({2, 3, 1});
  nn::SupervisedDataSet empty(2, 1), wrong(3, 1);
  wrong.add_sample({1, 2, 3}, {1});
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, empty).train(), tg::Error,
                        message_contains({"BackpropTrainer::train", "empty"}));
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, wrong).train(), tg::Error,
                        message_contains({"3 inputs", "takes 2"}));
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, empty, {.learningrate = -1}), tg::Error,
                        message_contains({"learningrate must be positive"}));
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, empty, {.momentum = 1}), tg::Error,
                        message_contains({"momentum must be in [0, 1)"}));
  const nn::SupervisedDataSet one = [] {
    nn::SupervisedDataSet d(2, 1);
    d.add_sample({1, 1}, {0});
    return d;
  }();
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, one).train_until_convergence(), tg::Error,
                        message_contains({"1 samples are too few", "validation_proportion"}));
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*net, one).train_until_convergence({.validation_proportion = 1}),
                        tg::Error, message_contains({"validation_proportion must be in (0, 1)"}));
  auto linear = nn::build_network({2, 1});
  nn::SupervisedDataSet far(2, 1);
  far.add_sample({1e30f, 1e30f}, {0});  // the gradient, about 1e60, overflows float
  BOOST_CHECK_EXCEPTION(nn::BackpropTrainer(*linear, far).train(), tg::Error,
                        message_contains({"BackpropTrainer::train", "no longer finite"}));
}

BOOST_AUTO_TEST_SUITE_END()
