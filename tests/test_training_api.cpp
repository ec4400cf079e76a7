// The training API without glue: a plain options struct, loss objects, metrics, training modes,
// micro-batches, callbacks, checkpoints of another architecture, and runs with a learning-rate
// schedule that resume bitwise.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xbuilder.hpp>
#include <xtensor/xmath.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;

}  // namespace

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
