// Checkpoints and inference: exact round trips of a whole training state, atomic saves,
// bitwise-identical resumption of fit, and predict.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <xtensor/xmath.hpp>

#include "nn/io/safetensors.hpp"
#include "tapegrad.hpp"
#include "tests/checkpoint_checks.hpp"
#include "tests/error_message.hpp"

namespace {

namespace fs = std::filesystem;
namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;
using tg::testing::read_bytes;
using tg::testing::write_bytes;
using namespace tg::testing::checkpoint_checks;

}  // namespace

BOOST_AUTO_TEST_SUITE(training_state)

BOOST_AUTO_TEST_CASE(model_adam_epoch_and_generators_round_trip_exactly) {
  TempDir dir;
  const std::string path = dir / "run.safetensors";
  nn::manual_seed(3);
  auto model = small_model();
  optim::Adam adam(model.parameters(), {.lr = 0.01});
  train_steps(model, adam, 2);
  adam.set_lr(0, 0.0123);
  nn::default_generator().normal();  // leaves a Box-Muller spare pending: it is state too
  nn::History history;
  nn::Logs logs;
  logs.set("loss", 0.5);
  logs.set("val_loss", std::nan(""));
  history.append(logs);
  nn::save_checkpoint(path, model, adam, {.epoch = 3, .history = &history});
  const Snapshot saved(model, adam);

  // What the file holds besides the weights.
  const nn::Safetensors file = nn::read_safetensors(path);
  BOOST_TEST((file.get<float>("optimizer.state.0.exp_avg").shape() == model.state_dict().at("0.weight").shape()));
  BOOST_TEST(file.get<std::int64_t>("optimizer.state.0.step").dimension() == 0u);
  BOOST_TEST(file.get<std::int64_t>("optimizer.state.3.step")() == 2);
  BOOST_TEST(file.metadata.at("epoch") == "3");
  BOOST_TEST(file.metadata.at("modules") ==
             R"([["","Sequential"],["0","Linear"],["1","Tanh"],["2","Dropout"],["3","Linear"]])");
  BOOST_TEST(file.metadata.at("optimizer") == R"({"type":"tg::optim::Adam","lrs":[0.0123]})");

  // Everything moves on, then comes back exactly.
  train_steps(model, adam, 3);
  adam.set_lr(0, 0.5);
  nn::manual_seed(99);
  const auto info = nn::load_checkpoint(path, model, adam);
  saved.expect_equal(Snapshot(model, adam));
  BOOST_TEST(info.epoch == 3u);
  BOOST_TEST(info.architecture == model.summary());
  BOOST_TEST_REQUIRE(info.history.epochs() == 1u);
  BOOST_TEST(info.history.epoch(0).at("loss") == 0.5);
  BOOST_TEST(std::isnan(info.history.epoch(0).at("val_loss")));

  // The weights alone load from a checkpoint too.
  nn::manual_seed(4);
  auto other = small_model();
  nn::load_weights(path, other);
  expect_same(saved.weights, other.state_dict());
}

BOOST_AUTO_TEST_CASE(a_stale_partial_temp_file_is_harmless) {
  TempDir dir;
  const std::string path = dir / "run.safetensors";
  nn::manual_seed(3);
  auto model = small_model();
  optim::SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
  train_steps(model, sgd, 1);
  nn::save_checkpoint(path, model, sgd, {.epoch = 1});
  const Snapshot saved(model, sgd);

  // A save killed halfway through leaves its partial temporary file and the old checkpoint.
  const std::string full = read_bytes(path);
  const std::string stale = path + ".tmp.Ab12Cd";
  write_bytes(stale, full.substr(0, full.size() / 2));
  train_steps(model, sgd, 1);
  BOOST_TEST(nn::load_checkpoint(path, model, sgd).epoch == 1u);
  saved.expect_equal(Snapshot(model, sgd));

  // The next save replaces the checkpoint and removes the temporary file.
  nn::save_checkpoint(path, model, sgd, {.epoch = 2});
  BOOST_TEST(!fs::exists(stale));
  BOOST_TEST(nn::load_checkpoint(path, model, sgd).epoch == 2u);
}

BOOST_AUTO_TEST_CASE(a_failed_save_keeps_the_previous_checkpoint) {
  TempDir dir;
  nn::manual_seed(3);
  auto model = small_model();
  optim::Adam adam(model.parameters());

  // No temporary file can be created where the directory does not exist.
  const std::string nowhere = dir / "absent/run.safetensors";
  BOOST_CHECK_EXCEPTION(nn::save_checkpoint(nowhere, model, adam, {.epoch = 2}), tg::Error,
                        message_contains({"save_checkpoint", "cannot create a temporary file " + nowhere + ".tmp.",
                                          "No such file or directory"}));

  // The rename over the target fails (it is a directory): the temporary file is cleaned up.
  const std::string blocked = dir / "blocked";
  fs::create_directories(fs::path(blocked) / "keep");
  BOOST_CHECK_EXCEPTION(nn::save_weights(blocked, model), tg::Error,
                        message_contains({"save_weights", "cannot rename", blocked}));
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  BOOST_TEST(fs::exists(fs::path(blocked) / "keep"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(resume)

namespace {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<tg::Tensor>)>;

nn::Sequential resume_model() {
  return nn::Sequential(nn::Linear(4, 8), nn::Tanh(), nn::Dropout(0.3), nn::Linear(8, 2));
}

// Three epochs uninterrupted, then the same from the checkpoint after epoch 1 in a model and
// optimizer built afresh from another seed: the weights after epochs 2 and 3 must be the same bits.
void check_resume_is_exact(const MakeOptimizer& make_optimizer) {
  TempDir dir;
  tg::Generator gen(123);
  const nn::Data data{tg::randn<float>({37, 4}, gen).value(), tg::randn<float>({37, 2}, gen).value()};
  const auto loss = [](const tg::Tensor& p, const tg::Tensor& t) { return nn::mse_loss(p, t); };
  auto options = [](std::size_t initial_epoch, std::vector<std::shared_ptr<nn::CallbackBase>> callbacks = {}) {
    return nn::FitOptions{.epochs = 3, .batch_size = 8, .seed = 5, .callbacks = std::move(callbacks),
                          .initial_epoch = initial_epoch, .verbosity = nn::Verbosity::Silent};
  };

  nn::manual_seed(42);
  auto a = resume_model();
  auto a_optimizer = make_optimizer(a.parameters());
  nn::fit(a, loss, *a_optimizer, data, options(0, {std::make_shared<nn::Checkpoint>(dir / "a-{epoch}.safetensors")}));

  nn::manual_seed(7);
  auto b = resume_model();
  auto b_optimizer = make_optimizer(b.parameters());
  const auto info = nn::load_checkpoint(dir / "a-1.safetensors", b, *b_optimizer);
  BOOST_TEST(info.epoch == 1u);
  nn::fit(b, loss, *b_optimizer, data,
          options(info.epoch, {std::make_shared<nn::Checkpoint>(dir / "b-{epoch}.safetensors", info.history)}));
  BOOST_TEST(!fs::exists(dir / "b-1.safetensors"));

  const auto a2 = nn::read_safetensors(dir / "a-2.safetensors"), b2 = nn::read_safetensors(dir / "b-2.safetensors");
  BOOST_TEST_REQUIRE(a2.size() == b2.size());
  for (const auto& [name, array] : a2) {
    if (name.ends_with(".step")) BOOST_TEST((b2.get<std::int64_t>(name) == std::get<xt::xarray<std::int64_t>>(array)));
    else BOOST_TEST(same_bits(std::get<xt::xarray<float>>(array), b2.get<float>(name)), name << " after epoch 2");
  }
  expect_same(a.state_dict(), b.state_dict());
  expect_same(a_optimizer->state(), b_optimizer->state());
  const auto a_history = nn::load_checkpoint(dir / "a-3.safetensors", a, *a_optimizer).history;
  const auto b_history = nn::load_checkpoint(dir / "b-3.safetensors", b, *b_optimizer).history;
  BOOST_TEST(b_history.epochs() == 3u);  // the epoch before the resume came with the checkpoint
  BOOST_TEST(b_history.values("loss") == a_history.values("loss"), boost::test_tools::per_element());

  // Without the optimizer's state, or without the dropout generator's, the run goes elsewhere.
  nn::manual_seed(7);
  auto c = resume_model();
  auto c_optimizer = make_optimizer(c.parameters());
  nn::load_weights(dir / "a-1.safetensors", c);
  nn::fit(c, loss, *c_optimizer, data, options(1));
  BOOST_TEST(!same_bits(c.state_dict().at("0.weight"), a.state_dict().at("0.weight")));

  nn::manual_seed(7);
  auto d = resume_model();
  auto d_optimizer = make_optimizer(d.parameters());
  const std::string fresh_dropout = d[2]->extra_state();
  nn::load_checkpoint(dir / "a-1.safetensors", d, *d_optimizer);
  BOOST_TEST(d[2]->extra_state() != fresh_dropout);
  d[2]->set_extra_state(fresh_dropout);
  nn::fit(d, loss, *d_optimizer, data, options(1));
  BOOST_TEST(!same_bits(d.state_dict().at("0.weight"), a.state_dict().at("0.weight")));
}

}  // namespace

BOOST_AUTO_TEST_CASE(resuming_adam_is_bitwise_identical) {
  check_resume_is_exact([](std::vector<tg::Tensor> params) -> std::unique_ptr<optim::Optimizer> {
    return std::make_unique<optim::Adam>(std::move(params), optim::AdamOptions{.lr = 0.01});
  });
}

BOOST_AUTO_TEST_CASE(resuming_sgd_with_momentum_is_bitwise_identical) {
  check_resume_is_exact([](std::vector<tg::Tensor> params) -> std::unique_ptr<optim::Optimizer> {
    return std::make_unique<optim::SGD>(std::move(params), optim::SGDOptions{.lr = 0.05, .momentum = 0.9});
  });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(predict)

BOOST_AUTO_TEST_CASE(predict_equals_forward_in_eval_mode_and_records_nothing) {
  nn::manual_seed(6);
  auto model = small_model();
  tg::Generator gen(8);
  const auto x = tg::randn<float>({10, 3}, gen).set_requires_grad(true);

  model.eval();
  const xt::xarray<float> expected = model(x).value();
  model.train();

  const tg::Tensor whole = model.predict(x);
  BOOST_TEST(same_bits(whole.value(), expected));
  BOOST_TEST(!whole.requires_grad());
  BOOST_TEST(!whole.grad_fn());
  BOOST_TEST(model.is_training());  // the mode it had

  const tg::Tensor batched = model.predict(x, 3);  // batches of 3, 3, 3 and 1
  BOOST_TEST(batched.shape() == (tg::Shape{10, 2}), boost::test_tools::per_element());
  BOOST_TEST(xt::allclose(batched.value(), expected, 1e-6, 1e-7));
  BOOST_TEST(!batched.requires_grad());
  BOOST_TEST(!batched.grad_fn());
  BOOST_TEST(tg::GradMode::enabled());

  model.eval();
  model.predict(x, 4);
  BOOST_TEST(!model.is_training());
  BOOST_CHECK_EXCEPTION(model.predict(x, 0), tg::Error, message_contains({"predict", "batch_size must be positive"}));
  BOOST_CHECK_EXCEPTION(model.predict(tg::Tensor::from(xt::xarray<float>(1.0f))), tg::Error,
                        message_contains({"predict", "needs a batch axis"}));
}

BOOST_AUTO_TEST_SUITE_END()
