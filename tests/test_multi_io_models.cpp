// Models of several inputs and outputs: trained, evaluated, predicted and reloaded by fit's API,
// and refused before training when columns, losses or metrics do not match.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;

}  // namespace

BOOST_AUTO_TEST_SUITE(several_inputs_and_outputs)

// Two inputs and two outputs: a regression of the inputs' sum and logits of which input is larger.
struct TwoTower : nn::Module {
  std::shared_ptr<nn::Linear> left = register_module("left", nn::Linear(3, 8));
  std::shared_ptr<nn::Linear> right = register_module("right", nn::Linear(2, 8));
  std::shared_ptr<nn::Linear> value = register_module("value", nn::Linear(8, 1));
  std::shared_ptr<nn::Linear> classes = register_module("classes", nn::Linear(8, 2));
  Tensors forward_many(const Tensors& in) override {
    const Tensor h = tg::tanh((*left)(in.at(0)) + (*right)(in.at(1)));
    return {(*value)(h), (*classes)(h)};
  }
};

struct TwoTowerData {
  xt::xarray<float> a, b, sum;
  tg::Labels larger;
};

TwoTowerData two_tower_data(std::size_t n) {
  tg::Generator gen(17);
  TwoTowerData d{tg::randn<float>({n, 3}, gen).value(), tg::randn<float>({n, 2}, gen).value(), {}, {}};
  d.sum = xt::xarray<float>::from_shape({n, 1});
  for (std::size_t i = 0; i < n; ++i) {
    const float a = d.a(i, 0) + d.a(i, 1) + d.a(i, 2), b = d.b(i, 0) + d.b(i, 1);
    d.sum(i, 0) = a + b;
    d.larger.push_back(a > b ? 1 : 0);
  }
  return d;
}

BOOST_AUTO_TEST_CASE(a_two_input_two_output_model_trains_evaluates_predicts_and_reloads) {
  const tg::testing::TempDir dir("tapegrad_models");
  const auto d = two_tower_data(96);
  nn::manual_seed(5);
  TwoTower model;
  optim::Adam adam(model.parameters(), {.lr = 0.02});
  const nn::Losses losses{nn::MSELoss{}, nn::CrossEntropyLoss{}};
  const auto history = nn::fit(model, losses, adam, {{d.a, d.b}, {d.sum, d.larger}},
                               {.epochs = 40, .batch_size = 16, .output_metrics = {{"mae"}, {"accuracy"}},
                                .verbosity = nn::Verbosity::Silent});
  BOOST_TEST(history.keys() ==
                 (std::vector<std::string>{"loss", "out0_loss", "out0_mae", "out1_loss", "out1_accuracy", "seconds"}),
             boost::test_tools::per_element());
  const auto& last = history.epoch(history.epochs() - 1);
  BOOST_TEST(last.at("loss") == last.at("out0_loss") + last.at("out1_loss"), boost::test_tools::tolerance(1e-6));
  BOOST_TEST(last.at("out0_loss") < 0.1 * history.epoch(0).at("out0_loss"));

  // Each output's metric is its own: the accuracy of the logits against the labels alone, not an
  // arg-max over targets packed side by side.
  const auto outputs = model.predict({tg::Tensor::from(d.a), tg::Tensor::from(d.b)});
  BOOST_TEST_REQUIRE(outputs.size() == 2u);
  const auto logs = nn::evaluate(model, losses, {{d.a, d.b}, {d.sum, d.larger}}, 32, {}, {{"mae"}, {"accuracy"}});
  BOOST_TEST(logs.at("out1_accuracy") == nn::top_k_accuracy(outputs[1], d.larger, 1));
  BOOST_TEST(logs.at("out1_accuracy") > 0.9);
  BOOST_TEST(logs.at("out0_mae") == nn::mean_absolute_error(outputs[0], tg::Tensor::from(d.sum)),
             boost::test_tools::tolerance(1e-9));

  const std::string summary = model.summary({{3}, {2}});
  BOOST_TEST(summary.find("left (Linear)") != std::string::npos);
  BOOST_TEST(summary.find("(None, 2)") != std::string::npos);

  const std::string file = (dir / "two_tower.safetensors").string();
  nn::save_checkpoint(file, model, adam, {.epoch = 40});
  nn::manual_seed(6);
  TwoTower reloaded;
  optim::Adam reloaded_adam(reloaded.parameters(), {.lr = 0.02});
  nn::load_checkpoint(file, reloaded, reloaded_adam);
  const auto again = reloaded.predict({tg::Tensor::from(d.a), tg::Tensor::from(d.b)});
  for (std::size_t k = 0; k < 2; ++k) BOOST_TEST(again[k].value() == outputs[k].value());
}

BOOST_AUTO_TEST_CASE(mismatched_columns_losses_and_metrics_are_refused_before_training) {
  const auto d = two_tower_data(8);
  TwoTower model;
  optim::SGD sgd(model.parameters());
  const nn::FitOptions quiet{.verbosity = nn::Verbosity::Silent};
  BOOST_CHECK_EXCEPTION(nn::fit(model, {nn::MSELoss{}, nn::CrossEntropyLoss{}}, sgd, {{d.a, d.b}, {d.larger, d.sum}}, quiet),
                        tg::Error, message_contains({"fit", "loss of output 0 does not take labels"}));
  BOOST_CHECK_EXCEPTION(nn::fit(model, nn::MSELoss{}, sgd, {{d.a, d.b}, {d.sum}}, quiet), tg::Error,
                        message_contains({"fit", "the model gave 2 outputs for 1 target columns"}));
  BOOST_CHECK_EXCEPTION(nn::fit(model, {nn::MSELoss{}, nn::CrossEntropyLoss{}}, sgd, {{d.a, d.b}, {d.sum, d.larger}},
                                {.metrics = {"mae"}, .verbosity = nn::Verbosity::Silent}),
                        tg::Error, message_contains({"metric 'mae' does not take labels", "target column 1"}));
  BOOST_CHECK_EXCEPTION(nn::fit(model, nn::MSELoss{}, sgd, {{d.a, d.larger}, {d.sum}}, quiet), tg::Error,
                        message_contains({"input column 1 holds class labels"}));
}

BOOST_AUTO_TEST_CASE(a_module_with_neither_forward_is_an_error) {
  struct Empty : nn::Module {};
  Empty empty;
  BOOST_CHECK_EXCEPTION(empty(tg::ones<float>({1, 2})), tg::Error,
                        message_contains({"Empty", "implements neither forward(x) nor forward_many(inputs)"}));
}

BOOST_AUTO_TEST_SUITE_END()
