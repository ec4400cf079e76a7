// Whole-model files: save_model -> load_model gives bitwise the same outputs, weights, training
// modes and extra states for every layer type (the recurrent ones included), Sequential and
// build_network's networks; a user's module types take part once registered.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::TempDir;

tg::Tensor random_input(const tg::Shape& shape, std::uint64_t seed) {
  tg::Generator gen(seed);
  return tg::randn<float>(shape, gen);
}

// Saves `model`, loads it back and checks the loaded one computes bitwise the same, in eval mode
// and (for Dropout's masks and BatchNorm's batch statistics) in training mode.
void check_round_trip(nn::Module& model, const tg::Tensor& input, const std::string& type) {
  BOOST_TEST_CONTEXT(type) {
    TempDir dir("saved_model");
    const auto file = dir / "model.safetensors";
    nn::save_model(file, model);
    const std::shared_ptr<nn::Module> loaded = nn::load_model(file);
    BOOST_TEST(loaded->name() == model.name());
    BOOST_TEST(loaded->describe() == model.describe());
    const auto original_state = model.state_dict(), loaded_state = loaded->state_dict();
    BOOST_TEST(loaded_state.size() == original_state.size());
    for (const auto& [name, value] : original_state) BOOST_TEST((loaded_state.at(name) == value), name);
    const auto original_modules = model.named_modules(), loaded_modules = loaded->named_modules();
    BOOST_REQUIRE(loaded_modules.size() == original_modules.size());
    for (std::size_t i = 0; i < original_modules.size(); ++i) {
      BOOST_TEST(loaded_modules[i].first == original_modules[i].first);
      BOOST_TEST(loaded_modules[i].second->is_training() == original_modules[i].second->is_training());
    }

    tg::NoGradGuard no_grad;
    const tg::Tensor trained_original = model(input), trained_loaded = (*loaded)(input);
    BOOST_TEST((trained_loaded.value() == trained_original.value()));
    model.eval();
    loaded->eval();
    BOOST_TEST((model(input).value() == (*loaded)(input).value()));
  }
}

// A module type of the user's: y = factor * x.
struct Scaled : nn::Module {
  explicit Scaled(float factor) : factor(factor) {}
  tg::Tensor forward(const tg::Tensor& x) override { return x * factor; }
  std::string name() const override { return "Scaled"; }
  float factor;
};

// A user's model built of submodules in its constructor.
struct TwoLayer : nn::Module {
  explicit TwoLayer(std::size_t hidden) : hidden(hidden) {}
  std::size_t hidden;
  std::shared_ptr<nn::Linear> fc1 = register_module("fc1", nn::Linear(3, hidden));
  std::shared_ptr<nn::Linear> fc2 = register_module("fc2", nn::Linear(hidden, 2));
  tg::Tensor forward(const tg::Tensor& x) override { return (*fc2)(tg::tanh((*fc1)(x))); }
  std::string name() const override { return "TwoLayer"; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(saved_model)

BOOST_AUTO_TEST_CASE(every_layer_type_round_trips_bitwise) {
  nn::manual_seed(11);
  nn::Sequential convolutional(nn::Conv2d(1, 3, 3, {.padding = 1}), nn::BatchNorm2d(3), nn::ReLU(),
                               nn::MaxPool2d(2), nn::Conv2d(3, 2, {3, 2}, {.stride = {1, 2}, .dilation = 2, .bias = false}),
                               nn::AvgPool2d(2, 1, 1), nn::Flatten());
  check_round_trip(convolutional, random_input({4, 1, 12, 12}, 1), "convolutions, pools, BatchNorm2d, Flatten");

  nn::Sequential dense(nn::Linear(6, 8), nn::LayerNorm(8, {.eps = 1e-3}), nn::LeakyReLU(0.2f), nn::Dropout(0.3),
                       nn::Linear(8, 8, false), nn::BatchNorm1d(8, {.momentum = 0.2, .affine = false}), nn::GELU(),
                       nn::Tanh(), nn::Sigmoid(), nn::Gaussian(), nn::Linear(8, 5), nn::Softmax(1), nn::LogSoftmax(-1));
  (*dense[4]).eval();  // a submodule's own mode comes back too
  check_round_trip(dense, random_input({7, 6}, 2), "dense layers, norms, Dropout, activations");

  nn::Sequential nested(nn::Embedding(10, 4), nn::Sequential(nn::Flatten(), nn::Linear(8, 3)));
  check_round_trip(nested, tg::Tensor::from(xt::xarray<float>{{1, 9}, {0, 3}, {7, 7}}), "Embedding, nested Sequential");

  auto net = nn::build_network({3, 4, 5, 2}, {.hidden = nn::LayerKind::Tanh, .out = nn::LayerKind::Softmax});
  check_round_trip(*net, random_input({5, 3}, 3), "build_network, Tanh and Softmax");
  auto gaussian = nn::build_network({2, 3}, {.out = nn::LayerKind::Gaussian, .bias = false});
  check_round_trip(*gaussian, random_input({5, 2}, 4), "build_network, Gaussian, no bias");
  auto sigmoid = nn::build_network({2, 3, 1});
  check_round_trip(*sigmoid, random_input({5, 2}, 5), "build_network's defaults");
}

BOOST_AUTO_TEST_CASE(recurrent_layers_round_trip_bitwise) {
  nn::manual_seed(12);
  nn::LSTM lstm(3, 4, {.num_layers = 2, .dropout = 0.25});  // training mode: the dropout masks agree
  check_round_trip(lstm, random_input({5, 2, 3}, 6), "LSTM, two layers, dropout");
  nn::GRU gru(3, 4, {.batch_first = true, .bidirectional = true});
  check_round_trip(gru, random_input({2, 5, 3}, 7), "GRU, batch_first, bidirectional");
  nn::RNN rnn(3, 4, {.bias = false, .nonlinearity = "relu"});
  check_round_trip(rnn, random_input({5, 2, 3}, 8), "RNN, relu, no bias");
  nn::MDLSTM grid(3, 4);
  check_round_trip(grid, random_input({2, 3, 4, 3}, 9), "MDLSTM");
  nn::MDLSTM grid_without_bias(3, 2, false);
  check_round_trip(grid_without_bias, random_input({1, 2, 2, 3}, 10), "MDLSTM, no bias");
  nn::Sequential tagger(nn::Embedding(10, 3), nn::LSTM(3, 4, {.batch_first = true}), nn::Linear(4, 2));
  check_round_trip(tagger, tg::Tensor::from(xt::xarray<float>{{1, 9, 4}, {0, 3, 3}}), "Embedding, LSTM, Linear");

  auto lstm_net = nn::build_network({2, 3, 2}, {.hidden = nn::LayerKind::LSTM, .recurrent = true});
  check_round_trip(*lstm_net, random_input({4, 3, 2}, 11), "build_network, LSTM, recurrent");
  auto parity = nn::build_network({1, 2, 1}, {.hidden = nn::LayerKind::Tanh, .out = nn::LayerKind::Tanh, .recurrent = true});
  parity->add_recurrent_connection("out", "hidden0");
  check_round_trip(*parity, random_input({5, 2, 1}, 12), "build_network, a recurrent connection added");

  TempDir dir("saved_model");
  nn::BasicLSTM<double> wide(2, 3, {.num_layers = 2});
  nn::save_model(dir / "lstm.safetensors", wide);
  nn::manual_seed(5);
  const std::string before = nn::default_generator().state();
  const auto loaded = nn::load_model<double>(dir / "lstm.safetensors");
  BOOST_TEST(nn::default_generator().state() == before);  // rebuilding drew nothing from it
  BOOST_TEST(loaded->describe() == wide.describe());
  tg::Generator gen(13);
  const tg::TensorD x = tg::randn<double>({4, 2, 2}, gen);
  tg::NoGradGuard no_grad;
  BOOST_TEST(((*loaded)(x).value() == wide(x).value()));
}

BOOST_AUTO_TEST_CASE(double_models_round_trip_as_f64) {
  TempDir dir("saved_model");
  nn::BasicSequential<double> model(nn::BasicLinear<double>(3, 4), nn::BasicTanh<double>(),
                                    nn::BasicLayerNorm<double>(4), nn::BasicLinear<double>(4, 2));
  nn::save_model(dir / "double.safetensors", model);
  BOOST_TEST(std::string(nn::dtype_name(nn::read_safetensors((dir / "double.safetensors").string()).at("0.weight"))) ==
             "F64");
  const std::shared_ptr<nn::BasicModule<double>> loaded = nn::load_model<double>(dir / "double.safetensors");
  tg::Generator gen(8);
  const tg::TensorD x = tg::randn<double>({3, 3}, gen);
  tg::NoGradGuard no_grad;
  BOOST_TEST(((*loaded)(x).value() == model(x).value()));
  BOOST_CHECK_EXCEPTION(nn::load_model(dir / "double.safetensors"), tg::Error,
                        message_contains({"load_model", "double.safetensors", "is F64, but the model's tensors are F32"}));
}

BOOST_AUTO_TEST_CASE(loaded_network_keeps_pybrain_layers_and_activate) {
  TempDir dir("saved_model");
  auto net = nn::build_network({2, 3, 1}, {.hidden = nn::LayerKind::Tanh});
  nn::save_model(dir / "net.safetensors", *net);
  const auto loaded = std::dynamic_pointer_cast<nn::Network>(nn::load_model(dir / "net.safetensors"));
  BOOST_REQUIRE(loaded);
  BOOST_TEST((*loaded)["hidden0"].describe() == "<TanhLayer 'hidden0'>");
  BOOST_TEST(loaded->activate({2, 1}) == net->activate({2, 1}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(loading_leaves_the_default_generator_alone) {
  TempDir dir("saved_model");
  nn::Sequential model(nn::Linear(4, 3), nn::Dropout(0.5), nn::Conv2d(1, 1, 1), nn::Embedding(3, 2));
  nn::save_model(dir / "m.safetensors", model);
  nn::manual_seed(5);
  const std::string before = nn::default_generator().state();
  (void)nn::load_model(dir / "m.safetensors");
  BOOST_TEST(nn::default_generator().state() == before);
}

BOOST_AUTO_TEST_CASE(user_module_types_join_by_registering) {
  TempDir dir("saved_model");
  nn::Sequential model(nn::Linear(3, 3), Scaled(2.5f));
  BOOST_CHECK_EXCEPTION(nn::save_model(dir / "m.safetensors", model), tg::Error,
                        message_contains({"save_model", "m.safetensors", "'1' is a Scaled", "register_module_type(\"Scaled\""}));
  BOOST_TEST(!std::filesystem::exists(dir / "m.safetensors"));

  nn::register_module_type<Scaled>(
      "Scaled", [](const Scaled& m) { return nn::ModuleConfig().set_number("factor", m.factor); },
      [](const nn::ModuleConfig& c) { return std::make_shared<Scaled>(static_cast<float>(c.number("factor"))); });
  check_round_trip(model, random_input({2, 3}, 6), "a user's layer");

  nn::register_module_type<TwoLayer>(
      "TwoLayer", [](const TwoLayer& m) { return nn::ModuleConfig().set_number("hidden", double(m.hidden)); },
      [](const nn::ModuleConfig& c) { return std::make_shared<TwoLayer>(c.count("hidden")); });
  TwoLayer two(5);
  check_round_trip(two, random_input({4, 3}, 7), "a user's model built in its constructor");

  // A constructor that no longer builds what was saved is named.
  nn::save_model(dir / "two.safetensors", two);
  nn::register_module_type<TwoLayer>(
      "TwoLayer", [](const TwoLayer& m) { return nn::ModuleConfig().set_number("hidden", double(m.hidden)); },
      [](const nn::ModuleConfig&) { return std::make_shared<TwoLayer>(4); });
  BOOST_CHECK_EXCEPTION(nn::load_model(dir / "two.safetensors"), tg::Error,
                        message_contains({"load_model", "two.safetensors", "'fc1.weight' has shape (5,3)"}));
  BOOST_CHECK_EXCEPTION(nn::ModuleConfig().set_number("n", 1.5).count("n"), tg::Error,
                        message_contains({"'n' must be a whole count"}));
  BOOST_CHECK_EXCEPTION(nn::ModuleConfig().set_flag("bias", true).number("bias"), tg::Error,
                        message_contains({"'bias' is a flag, not a number"}));
}

BOOST_AUTO_TEST_SUITE_END()
