// Whole models in double precision, as users write them: gradchecked for their input and every
// parameter, trained, summarized, predicted and checkpointed like float ones.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

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
