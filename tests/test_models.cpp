// Models as users write them: whole models in double precision, gradchecked for their input and
// every parameter, trained, summarized, predicted and checkpointed like float ones.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

#include "nn/io/safetensors.hpp"
#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;

// Every kind of layer but the recurrent ones: convolution, pooling, batch and layer norms,
// activations, Flatten, Linear.
nn::BasicSequential<double> every_layer_model() {
  using namespace tg::nn;
  return BasicSequential<double>(
      BasicConv2d<double>(2, 3, 3, {.padding = 1}), BasicBatchNorm2d<double>(3), BasicTanh<double>(),
      BasicMaxPool2d<double>(2), BasicConv2d<double>(3, 4, 2), BasicLeakyReLU<double>(0.1), BasicAvgPool2d<double>(2),
      BasicFlatten<double>(), BasicLinear<double>(4, 5), BasicLayerNorm<double>(5), BasicGELU<double>(),
      BasicSigmoid<double>(), BasicLinear<double>(5, 3), BasicLogSoftmax<double>());
}

bool same_bits(const xt::xarray<double>& a, const xt::xarray<double>& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(double_models)

BOOST_AUTO_TEST_CASE(a_double_model_gradchecks_for_its_input_and_every_parameter) {
  nn::manual_seed(3);
  auto model = every_layer_model();
  tg::Generator gen(5);
  const auto x = tg::randn<double>({2, 2, 6, 6}, gen).set_requires_grad(true);
  const auto named = model.named_parameters();
  BOOST_TEST(named.size() == 12u);  // two convolutions, two norms, two linears: weight and bias each

  // The gradcheck's leaves stand in for the parameters: assigning a registered tensor ties it.
  std::vector<tg::TensorD> inputs{x};
  for (const auto& [name, p] : named) inputs.push_back(p);
  const auto fn = [&](const std::vector<tg::TensorD>& in) {
    for (std::size_t k = 0; k < named.size(); ++k) model.tensor(named[k].first) = in[k + 1];
    return model(in[0]);
  };
  BOOST_TEST(tg::gradcheck(fn, inputs, {.atol = 1e-7, .rtol = 1e-5}));
  for (const auto& [name, p] : named) model.tensor(name) = p;
  for (std::size_t k = 0; k < named.size(); ++k) BOOST_TEST(model.parameters()[k].is_same(named[k].second));
}

BOOST_AUTO_TEST_CASE(a_wrong_layer_gradient_fails_the_model_gradcheck) {
  // A model that detaches its bias: the whole-model gradcheck must catch the missing gradient.
  struct Broken : nn::BasicModule<double> {
    std::shared_ptr<nn::BasicLinear<double>> fc = register_module("fc", nn::BasicLinear<double>(3, 2));
    Tensor forward(const Tensor& x) override { return tg::matmul(x, tg::transpose(fc->weight)) + fc->bias.detach(); }
  };
  nn::manual_seed(1);
  Broken model;
  tg::Generator gen(2);
  const auto x = tg::randn<double>({4, 3}, gen).set_requires_grad(true);
  const auto named = model.named_parameters();
  const auto fn = [&](const std::vector<tg::TensorD>& in) {
    for (std::size_t k = 0; k < named.size(); ++k) model.tensor(named[k].first) = in[k + 1];
    return model(in[0]);
  };
  BOOST_CHECK_THROW(tg::gradcheck(fn, {x, named[0].second, named[1].second}), tg::GradcheckError);
}

BOOST_AUTO_TEST_CASE(a_double_model_trains_summarizes_and_predicts) {
  nn::manual_seed(7);
  nn::BasicSequential<double> model(nn::BasicLinear<double>(3, 8), nn::BasicTanh<double>(), nn::BasicDropout<double>(0.2),
                                    nn::BasicLinear<double>(8, 1));
  BOOST_TEST(model.summary({3}).find("(None, 8)") != std::string::npos);
  BOOST_TEST(model.parameter_count() == 41u);
  optim::Adam adam(model.parameters(), {.lr = 0.05});
  tg::Generator gen(9);
  const auto x = tg::randn<double>({32, 3}, gen);
  const auto y = tg::sum(x, {1}, true);
  double first = 0, last = 0;
  for (int step = 0; step < 60; ++step) {
    const auto loss = nn::mse_loss(model(x), y);
    adam.zero_grad();
    loss.backward();
    adam.step();
    (step == 0 ? first : last) = loss.item();
  }
  BOOST_TEST(last < 0.1 * first);
  BOOST_TEST(model.is_training());
  const auto prediction = model.predict(x, 5);  // batches of 5, in eval mode: no dropout
  model.eval();
  tg::NoGradGuard no_grad;
  BOOST_TEST(same_bits(prediction.value(), model(x).value()));
}

BOOST_AUTO_TEST_CASE(a_double_checkpoint_stores_f64_and_resumes_bitwise) {
  const tg::testing::TempDir dir("tapegrad_models");
  const std::string file = (dir / "run.safetensors").string();
  auto build = [](std::uint64_t seed) {
    nn::manual_seed(seed);
    return nn::BasicSequential<double>(nn::BasicLinear<double>(2, 4), nn::BasicReLU<double>(),
                                       nn::BasicLinear<double>(4, 1));
  };
  tg::Generator gen(4);
  const auto x = tg::randn<double>({8, 2}, gen), y = tg::randn<double>({8, 1}, gen);
  auto steps = [&](nn::BasicModule<double>& model, optim::Optimizer& opt, int n) {
    for (int i = 0; i < n; ++i) {
      const auto loss = nn::mse_loss(model(x), y);
      opt.zero_grad();
      loss.backward();
      opt.step();
    }
  };
  auto a = build(1);
  optim::Adam adam_a(a.parameters(), {.lr = 0.01});
  steps(a, adam_a, 3);
  nn::save_checkpoint(file, a, adam_a, {.epoch = 3});
  const nn::Safetensors saved = nn::read_safetensors(file);
  BOOST_TEST(std::string(nn::dtype_name(saved.at("0.weight"))) == "F64");
  BOOST_TEST(std::string(nn::dtype_name(saved.at("optimizer.state.0.exp_avg"))) == "F64");

  auto b = build(2);
  optim::Adam adam_b(b.parameters(), {.lr = 0.01});
  BOOST_TEST(nn::load_checkpoint(file, b, adam_b).epoch == 3u);
  steps(a, adam_a, 2);
  steps(b, adam_b, 2);
  for (const auto& [name, value] : a.state_dict()) BOOST_TEST(same_bits(value, b.state_dict().at(name)), name);

  // A float model of the same architecture refuses the F64 file and is left as it was.
  nn::manual_seed(1);
  nn::Sequential floats(nn::Linear(2, 4), nn::ReLU(), nn::Linear(4, 1));
  BOOST_CHECK_EXCEPTION(nn::load_weights(file, floats), tg::Error,
                        message_contains({"load_weights", "is F64, but the model's tensors are F32"}));
}

BOOST_AUTO_TEST_CASE(one_optimizer_steps_float_and_double_groups) {
  auto f = tg::Tensor::from(xt::xarray<float>{1.0f, 2.0f}, true);
  auto d = tg::TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  optim::SGD sgd({f}, {.lr = 0.5, .momentum = 0.9});
  sgd.add_param_group({d});
  BOOST_TEST(!sgd.holds_double(0));
  BOOST_TEST(sgd.holds_double(1));
  tg::sum(f * f).backward();
  tg::sum(d * d).backward();
  sgd.step();
  BOOST_TEST(f.value()(1) == 0.0f);  // 2 - 0.5 * 4
  BOOST_TEST(d.value()(1) == 0.0);
  const auto state = sgd.state();
  BOOST_TEST(state.params.count(0) == 1u);
  BOOST_TEST(state.double_params.count(1) == 1u);
  BOOST_CHECK_EXCEPTION(sgd.params<float>(1), tg::Error, message_contains({"SGD", "group 1 does not hold float"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parameters_by_identity)

// An encoder and a decoder whose weights are tied the PyTorch way, by assigning the field.
struct Tied : nn::Module {
  std::shared_ptr<nn::Linear> encoder = register_module("encoder", nn::Linear(3, 3, false));
  std::shared_ptr<nn::Linear> decoder = register_module("decoder", nn::Linear(3, 3, false));
  Tied() { decoder->weight = encoder->weight; }
  Tensor forward(const Tensor& x) override { return (*decoder)(tg::tanh((*encoder)(x))); }
};

BOOST_AUTO_TEST_CASE(assigning_a_weight_ties_it_for_the_optimizer_and_the_state_dict) {
  nn::manual_seed(2);
  Tied model;
  BOOST_TEST(model.parameters().size() == 1u);
  BOOST_TEST(model.parameters()[0].is_same(model.encoder->weight));
  BOOST_TEST(model.parameter_count() == 9u);
  BOOST_TEST(model.state_dict().keys() == std::vector<std::string>{"encoder.weight"}, boost::test_tools::per_element());

  // The optimizer trains the one live tensor, and the state dict saves what it trained.
  optim::SGD sgd(model.parameters(), {.lr = 0.1});
  const xt::xarray<float> before = model.encoder->weight.value();
  tg::Generator gen(1);
  const auto loss = tg::sum(tg::square(model(tg::randn<float>({4, 3}, gen))));
  sgd.zero_grad();
  loss.backward();
  sgd.step();
  BOOST_TEST(model.decoder->weight.is_same(model.encoder->weight));
  BOOST_TEST(!(model.encoder->weight.value() == before));
  BOOST_TEST(model.state_dict().at("encoder.weight") == model.decoder->weight.value());

  // A tied model loads its own state dict, and a fresh one gets the trained weight in both places.
  Tied fresh;
  fresh.load_state_dict(model.state_dict());
  BOOST_TEST(fresh.decoder->weight.value() == model.encoder->weight.value());
}

BOOST_AUTO_TEST_CASE(a_module_registered_twice_is_counted_once) {
  struct Twice : nn::Module {
    std::shared_ptr<nn::Linear> shared = register_module("first", nn::Linear(2, 2));
    Twice() { register_module("second", shared); }
    Tensor forward(const Tensor& x) override { return (*shared)((*shared)(x)); }
  };
  Twice model;
  BOOST_TEST(model.parameters().size() == 2u);
  BOOST_TEST(model.parameter_count() == 6u);
  BOOST_TEST(model.named_modules().size() == 1u);
  BOOST_TEST(model.state_dict().size() == 2u);
  optim::Adam adam(model.parameters());  // would refuse a parameter listed twice
  BOOST_TEST(adam.params(0).size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_frozen_submodule_gets_no_gradient_and_no_update) {
  nn::manual_seed(4);
  nn::Sequential model(nn::Linear(2, 3), nn::Tanh(), nn::Linear(3, 1));
  model[0]->set_requires_grad(false);
  BOOST_TEST(model.trainable_parameter_count() == 4u);
  optim::SGD sgd(model.parameters(), {.lr = 0.5});
  const xt::xarray<float> frozen = model[0]->parameters()[0].value();
  const xt::xarray<float> trained = model[2]->parameters()[0].value();
  tg::sum(model(tg::ones<float>({2, 2}))).backward();
  sgd.step();
  BOOST_TEST(!model[0]->parameters()[0].grad().defined());
  BOOST_TEST(model[0]->parameters()[0].value() == frozen);
  BOOST_TEST(!(model[2]->parameters()[0].value() == trained));
}

BOOST_AUTO_TEST_SUITE_END()

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

BOOST_AUTO_TEST_SUITE(training_api)

struct Points {
  xt::xarray<float> x, y;
  tg::Labels labels;
};

// 24 points of two blobs, with a regression target and a class label each.
Points points() {
  tg::Generator gen(3);
  Points p{tg::randn<float>({24, 2}, gen).value(), xt::xarray<float>::from_shape({24, 1}), {}};
  for (std::size_t i = 0; i < 24; ++i) {
    if (i % 2) p.x(i, 0) += 2.0f;
    p.y(i, 0) = p.x(i, 0) - 0.5f * p.x(i, 1);
    p.labels.push_back(i % 2);
  }
  return p;
}

nn::Sequential small_net(std::uint64_t seed, std::size_t outputs) {
  nn::manual_seed(seed);
  return nn::Sequential(nn::Linear(2, 5), nn::Tanh(), nn::Linear(5, outputs));
}

BOOST_AUTO_TEST_CASE(one_plain_options_struct_and_loss_objects_for_rows_and_labels) {
  const auto p = points();
  const nn::FitOptions options{.epochs = 3, .batch_size = 6, .seed = 2, .metrics = {"accuracy"},
                               .verbosity = nn::Verbosity::Silent};
  auto classifier = small_net(1, 2), same = small_net(1, 2), regressor = small_net(1, 1);
  optim::SGD a(classifier.parameters(), {.lr = 0.1}), b(same.parameters(), {.lr = 0.1}), c(regressor.parameters());
  const auto with_object = nn::fit(classifier, nn::CrossEntropyLoss{}, a, {p.x, p.labels}, options);
  const auto with_lambda = nn::fit(
      same, [](const tg::Tensor& logits, const tg::Labels& y) { return tg::nn::cross_entropy(logits, y); }, b,
      {p.x, p.labels}, options);
  BOOST_TEST(with_object.values("loss") == with_lambda.values("loss"), boost::test_tools::per_element());
  nn::fit(regressor, nn::MSELoss{}, c, {p.x, p.y}, options);  // the same options with target rows
}

BOOST_AUTO_TEST_CASE(metrics_by_name_and_user_callables) {
  const auto prediction = tg::Tensor::from(xt::xarray<float>{{0.1f, 0.7f, 0.2f}, {0.5f, 0.3f, 0.2f}, {0.2f, 0.3f, 0.5f}});
  const tg::Labels labels{2, 1, 2};
  // Row 0: label 2 is second largest; row 1: label 1 second; row 2: label 2 largest.
  BOOST_TEST(nn::top_k_accuracy(prediction, labels, 1) == 1.0 / 3);
  BOOST_TEST(nn::top_k_accuracy(prediction, labels, 2) == 1.0);
  const auto target = tg::Tensor::from(xt::xarray<float>{{0, 1, 0}, {1, 0, 0}, {0, 0, 1}});
  // |errors| summed: 0.1+0.3+0.2, 0.5+0.3+0.2, 0.2+0.3+0.5 = 2.6 over 9 elements.
  BOOST_TEST(nn::mean_absolute_error(prediction, target) == 2.6 / 9, boost::test_tools::tolerance(1e-6));

  nn::Linear identity(3, 3, false);
  {
    tg::NoGradGuard no_grad;
    identity.weight.mutable_value() = xt::eye<float>(3);
  }
  const auto largest = [](const tg::Tensor& p, const tg::Labels&) { return double(xt::amax(p.value())()); };
  const auto logs = nn::evaluate(identity, nn::CrossEntropyLoss{}, {prediction.value(), labels}, 2,
                                 {"accuracy", "top2_accuracy", nn::Metric("largest", largest)});
  BOOST_TEST(logs.at("accuracy") == 1.0 / 3);
  BOOST_TEST(logs.at("top2_accuracy") == 1.0);
  // A user's metric is a batch mean, weighted by batch size: (0.7 * 2 + 0.5 * 1) / 3.
  BOOST_TEST(logs.at("largest") == (0.7 * 2 + 0.5) / 3, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(fit_and_predict_keep_every_modules_own_training_mode) {
  const auto p = points();
  nn::manual_seed(4);
  nn::Sequential model(nn::Linear(2, 4), nn::BatchNorm1d(4), nn::Tanh(), nn::Linear(4, 1));
  model[1]->eval();  // a frozen BatchNorm: its running statistics must not move
  const xt::xarray<float> running_mean = model[1]->buffers()[0].value();
  optim::SGD sgd(model.parameters(), {.lr = 0.05});
  nn::fit(model, nn::MSELoss{}, sgd, {p.x, p.y},
          {.epochs = 2, .batch_size = 8, .validation_split = 0.25, .verbosity = nn::Verbosity::Silent});
  BOOST_TEST(model.is_training());
  BOOST_TEST(!model[1]->is_training());
  BOOST_TEST(model[1]->buffers()[0].value() == running_mean);
  model.predict(tg::Tensor::from(p.x));
  BOOST_TEST(model.is_training());
  BOOST_TEST(!model[1]->is_training());
  BOOST_TEST(model[0]->is_training());
}

BOOST_AUTO_TEST_CASE(accumulated_micro_batches_make_the_step_of_the_whole_batch) {
  const auto p = points();
  auto whole = small_net(8, 1), accumulated = small_net(8, 1);
  optim::SGD a(whole.parameters(), {.lr = 0.1, .momentum = 0.9}), b(accumulated.parameters(), {.lr = 0.1, .momentum = 0.9});
  // 24 samples: batches of 9, 9, 6 against micro-batches of 3 taken three at a time (two for the last step).
  const auto h1 = nn::fit(whole, nn::MSELoss{}, a, {p.x, p.y}, {.epochs = 3, .batch_size = 9, .seed = 1,
                                                                  .verbosity = nn::Verbosity::Silent});
  const auto h2 = nn::fit(accumulated, nn::MSELoss{}, b, {p.x, p.y},
                          {.epochs = 3, .batch_size = 3, .seed = 1, .verbosity = nn::Verbosity::Silent,
                           .accumulation_steps = 3});
  for (const auto& [name, value] : whole.state_dict())
    for (std::size_t i = 0; i < value.size(); ++i)
      BOOST_TEST(std::abs(value.data()[i] - accumulated.state_dict().at(name).data()[i]) < 1e-5, name);
  for (std::size_t e = 0; e < 3; ++e)
    BOOST_TEST(h1.values("loss")[e] == h2.values("loss")[e], boost::test_tools::tolerance(1e-5));
}

BOOST_AUTO_TEST_CASE(per_batch_callbacks_see_every_optimizer_step) {
  struct Steps : nn::Callback {
    std::vector<std::size_t> steps;
    std::vector<double> losses;
    void on_batch_end(nn::TrainState& state, const nn::Logs& logs) override {
      steps.push_back(state.step);
      losses.push_back(logs.at("loss"));
    }
  };
  const auto p = points();
  auto model = small_net(2, 1);
  optim::SGD sgd(model.parameters(), {.lr = 0.0});  // nothing moves: each step's loss is that of its samples
  auto steps = std::make_shared<Steps>();
  const auto history = nn::fit(model, nn::MSELoss{}, sgd, {p.x, p.y},
                               {.epochs = 2, .batch_size = 5, .shuffle = false, .callbacks = {steps},
                                .verbosity = nn::Verbosity::Silent, .accumulation_steps = 2});
  // 24 samples in batches of 5: 5 batches, 3 steps (10, 10, 4 samples) per epoch.
  BOOST_TEST(steps->steps == (std::vector<std::size_t>{1, 2, 3, 1, 2, 3}), boost::test_tools::per_element());
  const double epoch_loss = (steps->losses[0] * 10 + steps->losses[1] * 10 + steps->losses[2] * 4) / 24;
  BOOST_TEST(epoch_loss == history.values("loss")[0], boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(a_double_model_fits_float_data_with_its_own_callbacks) {
  const auto p = points();
  nn::manual_seed(2);
  nn::BasicSequential<double> model(nn::BasicLinear<double>(2, 4), nn::BasicTanh<double>(), nn::BasicLinear<double>(4, 2));
  optim::Adam adam(model.parameters(), {.lr = 0.05});
  auto stopper = std::make_shared<nn::BasicEarlyStopping<double>>(nn::EarlyStoppingOptions{.monitor = "loss", .patience = 3});
  const auto history = nn::fit(model, nn::CrossEntropyLoss{}, adam, {p.x, p.labels},
                               {.epochs = 30, .batch_size = 8, .metrics = {"accuracy"}, .callbacks = {stopper},
                                .verbosity = nn::Verbosity::Silent});
  BOOST_TEST(history.values("loss").back() < history.values("loss").front());
  BOOST_TEST(history.values("accuracy").back() > 0.7);  // two blobs 2 standard deviations apart
  BOOST_TEST(stopper->best_epoch() >= 1u);
  const auto float_stopper = std::make_shared<nn::EarlyStopping>();
  BOOST_CHECK_EXCEPTION(nn::fit(model, nn::CrossEntropyLoss{}, adam, {p.x, p.labels},
                                {.callbacks = {float_stopper}, .verbosity = nn::Verbosity::Silent}),
                        tg::Error, message_contains({"callback 0 is for float models", "computes in double"}));
  nn::Sequential floats(nn::Linear(2, 2));
  optim::SGD sgd(floats.parameters());
  BOOST_CHECK_EXCEPTION(nn::fit(floats, nn::CrossEntropyLoss{}, sgd, {xt::xarray<double>(p.x), p.labels},
                                {.verbosity = nn::Verbosity::Silent}),
                        tg::Error, message_contains({"holds double values but the model computes in float"}));
}

BOOST_AUTO_TEST_CASE(a_checkpoint_of_another_architecture_names_both_types) {
  struct ResMLP : nn::Module {
    std::shared_ptr<nn::Linear> fc = register_module("fc", nn::Linear(2, 2));
    Tensor forward(const Tensor& x) override { return x + (*fc)(x); }
  };
  const tg::testing::TempDir dir("tapegrad_models");
  const std::string file = (dir / "res.safetensors").string();
  ResMLP res;
  optim::SGD sgd(res.parameters());
  nn::save_checkpoint(file, res, sgd);
  nn::Sequential seq(nn::Linear(2, 2));
  optim::SGD other(seq.parameters());
  BOOST_CHECK_EXCEPTION(nn::load_checkpoint(file, seq, other), tg::Error,
                        message_contains({"the checkpoint holds a ResMLP, the model is a Sequential"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(resumed_schedules)

struct Run {
  nn::Sequential model;
  optim::SGD sgd;
  std::unique_ptr<optim::LRScheduler> schedule;
};

// A model, SGD with momentum and a schedule, all built from `seed`: a cosine per epoch, or a
// one cycle over every batch of 4 epochs.
std::unique_ptr<Run> make_run(std::uint64_t seed, bool per_batch) {
  nn::manual_seed(seed);
  nn::Sequential model(nn::Linear(3, 6), nn::Tanh(), nn::Linear(6, 1));
  auto params = model.parameters();
  auto run = std::unique_ptr<Run>(new Run{std::move(model), optim::SGD(params, {.lr = 0.1, .momentum = 0.9}), nullptr});
  if (per_batch) run->schedule = std::make_unique<optim::OneCycleLR>(run->sgd, 0.3, 20);
  else run->schedule = std::make_unique<optim::CosineAnnealingLR>(run->sgd, 3, 0.001);
  return run;
}

void check_scheduled_resume(bool per_batch) {
  const tg::testing::TempDir dir("tapegrad_models");
  tg::Generator gen(8);
  const nn::Data data{tg::randn<float>({40, 3}, gen).value(), tg::randn<float>({40, 1}, gen).value()};
  auto options = [&](Run& run, std::size_t initial_epoch, const std::string& prefix) {
    return nn::FitOptions{.epochs = 4, .batch_size = 8, .seed = 3,
                          .callbacks = {std::make_shared<nn::Checkpoint>((dir / (prefix + "-{epoch}.st")).string())},
                          .initial_epoch = initial_epoch, .verbosity = nn::Verbosity::Silent,
                          .scheduler = run.schedule.get(), .schedule_per_batch = per_batch};
  };
  auto a = make_run(1, per_batch);
  nn::fit(a->model, nn::MSELoss{}, a->sgd, data, options(*a, 0, "a"));

  // Everything built afresh from another seed, the schedule included: the checkpoint continues it.
  auto b = make_run(2, per_batch);
  const auto info = nn::load_checkpoint((dir / "a-2.st").string(), b->model, b->sgd, b->schedule.get());
  BOOST_TEST(b->schedule->last_epoch() == (per_batch ? 10 : 2));
  nn::fit(b->model, nn::MSELoss{}, b->sgd, data, options(*b, info.epoch, "b"));
  BOOST_TEST(b->sgd.lr() == a->sgd.lr());
  for (const auto& [name, value] : a->model.state_dict())
    BOOST_TEST(std::memcmp(value.data(), b->model.state_dict().at(name).data(), value.size() * sizeof(float)) == 0,
               name << " differs after the resumed run");

  // A schedule saved but not given back, or given but not saved, is refused, changing nothing.
  auto c = make_run(3, per_batch);
  const auto before = c->model.state_dict();
  BOOST_CHECK_EXCEPTION(nn::load_checkpoint((dir / "a-2.st").string(), c->model, c->sgd), tg::Error,
                        message_contains({"holds the state of a " + a->schedule->name(), "pass the schedule"}));
  BOOST_TEST(c->model.state_dict().at("0.weight") == before.at("0.weight"));
  nn::save_checkpoint((dir / "plain.st").string(), c->model, c->sgd);
  BOOST_CHECK_EXCEPTION(nn::load_checkpoint((dir / "plain.st").string(), c->model, c->sgd, c->schedule.get()), tg::Error,
                        message_contains({"holds no learning-rate schedule"}));
}

BOOST_AUTO_TEST_CASE(an_interrupted_run_with_an_epoch_schedule_resumes_bitwise) { check_scheduled_resume(false); }

BOOST_AUTO_TEST_CASE(an_interrupted_run_with_a_batch_schedule_resumes_bitwise) { check_scheduled_resume(true); }

BOOST_AUTO_TEST_SUITE_END()
