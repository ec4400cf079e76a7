// The training loop: history values against hand-computed gradient descent, validation,
// metrics, early stopping, the CSV and the progress lines.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

#include <xtensor/xview.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::testing::message_contains;
using Rows = xt::xarray<float>;

// y = 2x + 1 on x = 0..n-1, as (n, 1) columns.
struct Line {
  Rows x, y;
};
Line line(std::size_t n) {
  Line line{xt::xarray<float>::from_shape({n, 1}), xt::xarray<float>::from_shape({n, 1})};
  for (std::size_t i = 0; i < n; ++i) {
    line.x(i, 0) = static_cast<float>(i);
    line.y(i, 0) = 2.0f * static_cast<float>(i) + 1.0f;
  }
  return line;
}
tg::nn::Data line_data(std::size_t n) {
  const Line l = line(n);
  return {l.x, l.y};
}

// A Linear(1, 1) starting at w = 0, b = 0.
std::shared_ptr<tg::nn::Linear> zero_line() {
  auto layer = std::make_shared<tg::nn::Linear>(1, 1);
  tg::NoGradGuard no_grad;
  layer->weight.mutable_value().fill(0.0f);
  layer->bias.mutable_value().fill(0.0f);
  return layer;
}

const auto mse = [](const tg::Tensor& p, const tg::Tensor& t) { return tg::nn::mse_loss(p, t); };

tg::nn::FitOptions quiet(std::size_t epochs, std::size_t batch_size) {
  return {.epochs = epochs, .batch_size = batch_size, .shuffle = false, .verbosity = tg::nn::Verbosity::Silent};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fit)

BOOST_AUTO_TEST_CASE(full_batch_history_is_gradient_descent_by_hand) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.05});
  const auto data = line_data(4);
  const auto history = tg::nn::fit(*model, mse, sgd, data, quiet(3, 4));

  // MSE of w x + b against 2x + 1 and its gradient, stepped by hand.
  double w = 0, b = 0;
  std::vector<double> expected;
  for (int epoch = 0; epoch < 3; ++epoch) {
    double loss = 0, gw = 0, gb = 0;
    for (int x = 0; x < 4; ++x) {
      const double r = w * x + b - (2.0 * x + 1.0);
      loss += r * r / 4;
      gw += 2 * r * x / 4;
      gb += 2 * r / 4;
    }
    expected.push_back(loss);
    w -= 0.05 * gw;
    b -= 0.05 * gb;
  }
  BOOST_TEST(history.epochs() == 3u);
  BOOST_TEST((history.keys() == std::vector<std::string>{"loss", "seconds"}));
  const auto losses = history.values("loss");
  for (int e = 0; e < 3; ++e) BOOST_TEST(losses[e] == expected[e], boost::test_tools::tolerance(1e-5));
  BOOST_TEST(model->weight.item() == w, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(model->bias.item() == b, boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(epoch_loss_is_the_batch_size_weighted_mean) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.0});  // nothing moves: every batch sees w = b = 0
  const auto history = tg::nn::fit(*model, mse, sgd, line_data(5), quiet(1, 2));
  // batches {0,1}, {2,3}, {4}: the mean of (2x + 1)^2 over all five samples
  BOOST_TEST(history.values("loss")[0] == (1.0 + 9 + 25 + 49 + 81) / 5, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(validation_split_holds_out_the_last_rows) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.01});
  const Line data = line(10);
  auto options = quiet(2, 4);
  options.validation_split = 0.2;
  const auto history = tg::nn::fit(*model, mse, sgd, {data.x, data.y}, options);
  const tg::nn::Data last_two{xt::view(data.x, xt::range(8, 10)), xt::view(data.y, xt::range(8, 10))};
  const double expected = tg::nn::evaluate(*model, mse, last_two).at("loss");
  BOOST_TEST(history.values("val_loss")[1] == expected, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(model->is_training());
}

BOOST_AUTO_TEST_CASE(accuracy_counts_argmax_hits) {
  tg::nn::Linear model(2, 2, false);
  {
    tg::NoGradGuard no_grad;
    model.weight.mutable_value() = xt::xarray<float>{{1, 0}, {0, 1}};  // the prediction is the input
  }
  const tg::nn::Data data{xt::xarray<float>{{1, 0}, {0, 1}, {3, 2}, {0, 5}}, tg::Labels{0, 1, 1, 1}};
  const auto ce = [](const tg::Tensor& logits, const tg::Labels& y) { return tg::nn::cross_entropy(logits, y); };
  const auto logs = tg::nn::evaluate(model, ce, data, 3, {"accuracy"});
  BOOST_TEST(logs.at("accuracy") == 0.75);
}

BOOST_AUTO_TEST_CASE(early_stopping_waits_patience_epochs) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.0});  // the loss never improves after epoch 0
  auto stopper = std::make_shared<tg::nn::EarlyStopping>(tg::nn::EarlyStoppingOptions{.monitor = "loss", .patience = 2});
  auto options = quiet(50, 4);
  options.callbacks = {stopper};
  const auto history = tg::nn::fit(*model, mse, sgd, line_data(4), options);
  BOOST_TEST(history.epochs() == 4u);
  // Counted as fit prints epochs: the first is epoch 1, the fourth (which stopped it) epoch 4.
  BOOST_TEST(stopper->stopped_epoch().value() == 4u);
  BOOST_TEST(stopper->best_epoch() == 1u);
}

BOOST_AUTO_TEST_CASE(early_stopping_restores_the_best_weights) {
  // Records the weight after each epoch.
  struct Recorder : tg::nn::Callback {
    std::vector<float> weights;
    void on_epoch_end(tg::nn::TrainState& state, const tg::nn::Logs&) override {
      weights.push_back(state.model.parameters()[0].item());
    }
  };
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.3});  // too large: the loss grows every epoch after the first
  auto recorder = std::make_shared<Recorder>();
  auto stopper = std::make_shared<tg::nn::EarlyStopping>(
      tg::nn::EarlyStoppingOptions{.monitor = "loss", .patience = 1, .restore_best_weights = true});
  auto options = quiet(10, 4);
  options.callbacks = {recorder, stopper};
  const auto history = tg::nn::fit(*model, mse, sgd, line_data(4), options);
  const auto losses = history.values("loss");
  BOOST_TEST(losses[1] > losses[0]);
  BOOST_TEST(history.epochs() == 3u);
  // The loss reported for epoch e is measured before epoch e's step, i.e. with the weights of epoch e - 1 ...
  // so the best epoch's own weights are those recorded at its end.
  BOOST_TEST(model->weight.item() == recorder->weights[stopper->best_epoch() - 1]);
}

BOOST_AUTO_TEST_CASE(early_stopping_needs_the_monitored_value) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.01});
  auto options = quiet(2, 4);
  options.callbacks = {std::make_shared<tg::nn::EarlyStopping>()};  // val_loss, but no validation data
  BOOST_CHECK_EXCEPTION(tg::nn::fit(*model, mse, sgd, line_data(4), options), tg::Error,
                        message_contains({"EarlyStopping", "val_loss"}));
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.01});
  const Line l = line(4);
  const tg::nn::Data data{l.x, l.y};
  auto options = quiet(1, 2);
  BOOST_CHECK_EXCEPTION(options.metrics = {"precision"}, tg::Error, message_contains({"metric", "precision"}));
  options.validation_split = 1.0;
  BOOST_CHECK_EXCEPTION(tg::nn::fit(*model, mse, sgd, data, options), tg::Error, message_contains({"validation_split"}));
  const tg::nn::Data uneven{l.x, xt::view(l.y, xt::range(0, 3))};
  BOOST_CHECK_EXCEPTION(tg::nn::fit(*model, mse, sgd, uneven, quiet(1, 2)), tg::Error,
                        message_contains({"4 samples", "target column 0 has 3"}));
  BOOST_CHECK_EXCEPTION(tg::nn::fit(*model, mse, sgd, data, quiet(1, 0)), tg::Error, message_contains({"batch_size"}));
}

BOOST_AUTO_TEST_CASE(a_nan_loss_stops_training) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.01});
  Line data = line(4);
  data.y(2, 0) = std::nanf("");
  BOOST_CHECK_EXCEPTION(tg::nn::fit(*model, mse, sgd, {data.x, data.y}, quiet(1, 4)), tg::Error,
                        message_contains({"fit", "nan"}));
}

BOOST_AUTO_TEST_CASE(epoch_lines_when_not_a_terminal) {
  auto model = zero_line();
  tg::optim::SGD sgd(model->parameters(), {.lr = 0.01});
  std::ostringstream out;
  auto options = quiet(2, 2);
  options.verbosity = tg::nn::Verbosity::Auto;
  options.out = &out;
  tg::nn::fit(*model, mse, sgd, line_data(4), options);
  std::istringstream lines(out.str());
  std::string first, second, third;
  std::getline(lines, first);
  std::getline(lines, second);
  BOOST_TEST(first.rfind("Epoch 1/2 - ", 0) == 0u);
  BOOST_TEST(first.find(" - loss: ") != std::string::npos);
  BOOST_TEST(second.rfind("Epoch 2/2 - ", 0) == 0u);
  BOOST_TEST(!std::getline(lines, third));
  BOOST_TEST(out.str().find('\r') == std::string::npos);  // no progress bar in a log
}

BOOST_AUTO_TEST_CASE(history_csv_has_a_row_per_epoch) {
  tg::nn::History history;
  for (int e = 0; e < 2; ++e) {
    tg::nn::Logs logs;
    logs.set("loss", 1.5 - e);
    if (e == 1) logs.set("accuracy", 0.75);
    history.append(logs);
  }
  // Named per process: two test runs on one machine must not share the file.
  const auto path =
      std::filesystem::temp_directory_path() / ("tapegrad_history_test_" + std::to_string(::getpid()) + ".csv");
  history.write_csv(path.string());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  BOOST_TEST(text.str() == "epoch,loss,accuracy\n1,1.5,\n2,0.5,0.75\n");
  BOOST_TEST(!std::filesystem::exists(path.string() + ".tmp"));
  std::filesystem::remove(path);
  BOOST_TEST((history.values("accuracy")[0] != history.values("accuracy")[0]));  // NaN where an epoch has none
  BOOST_CHECK_EXCEPTION(tg::nn::Logs().at("loss"), tg::Error, message_contains({"no value named 'loss'"}));
}

BOOST_AUTO_TEST_SUITE_END()
