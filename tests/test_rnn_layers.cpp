// The RNN, LSTM and GRU layers against PyTorch's numbers (tests/rnn_reference.py): stacked,
// bias-free, batch-first, bidirectional, relu and per-sequence lengths, float and double,
// outputs, final states and every gradient; a PyTorch state_dict file; whole double layers
// gradchecked; Sequential, dropout, summary, checkpoints; and the errors for bad input.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "tests/error_message.hpp"
#include "tests/rnn_reference.hpp"

namespace {

using tg::TensorD;
using tg::testing::expect_matches;
using tg::testing::message_contains;
using tg::testing::RnnReference;

tg::nn::RNNOptions options_of(const std::map<std::string, std::string>& s) {
  return {.num_layers = std::stoul(s.at("num_layers")), .bias = s.at("bias") == "1",
          .batch_first = s.at("batch_first") == "1", .dropout = 0.0, .bidirectional = s.at("bidirectional") == "1",
          .nonlinearity = s.at("nonlinearity")};
}

// Builds the case's layer with PyTorch's parameters, runs it, and compares everything.
template <class T>
void check_layer(const std::string& name) {
  const auto& ref = RnnReference::get();
  const auto s = ref.settings(name);
  const std::string kind = s.at("kind");
  const std::size_t I = std::stoul(s.at("input_size")), H = std::stoul(s.at("hidden_size"));
  std::shared_ptr<tg::nn::BasicRecurrent<T>> layer;
  if (kind == "LSTM") layer = std::make_shared<tg::nn::BasicLSTM<T>>(I, H, options_of(s));
  if (kind == "GRU") layer = std::make_shared<tg::nn::BasicGRU<T>>(I, H, options_of(s));
  if (kind == "RNN") layer = std::make_shared<tg::nn::BasicRNN<T>>(I, H, options_of(s));
  tg::nn::BasicStateDict<T> state;
  for (const auto& [key, p] : layer->named_parameters()) state.insert(key, ref.array<T>(name, key));
  layer->load_state_dict(state);

  std::map<std::string, tg::BasicTensor<T>> in{{"input", ref.tensor<T>(name, "input", true)}};
  for (const char* key : {"h0", "c0"})
    if (ref.has(name, key)) in[key] = ref.tensor<T>(name, key, true);
  const auto lengths = ref.has(name, "lengths") ? ref.lengths(name) : std::vector<std::size_t>{};
  std::map<std::string, tg::BasicTensor<T>> out;
  if (auto lstm = std::dynamic_pointer_cast<tg::nn::BasicLSTM<T>>(layer)) {
    auto r = lstm->forward(in["input"], {in["h0"], in["c0"]}, lengths);
    out = {{"output", r.output}, {"h_n", r.state.h}, {"c_n", r.state.c}};
  } else if (auto gru = std::dynamic_pointer_cast<tg::nn::BasicGRU<T>>(layer)) {
    auto r = gru->forward(in["input"], in["h0"], lengths);
    out = {{"output", r.output}, {"h_n", r.h}};
  } else {
    auto r = std::dynamic_pointer_cast<tg::nn::BasicRNN<T>>(layer)->forward(in["input"], in["h0"], lengths);
    out = {{"output", r.output}, {"h_n", r.h}};
  }
  tg::BasicTensor<T> loss = tg::zeros<T>({});
  for (const auto& [key, value] : out) {
    expect_matches(value.value(), ref.array<T>(name, key), name + " " + key);
    loss = loss + tg::sum(value * ref.tensor<T>(name, "grad_" + key));
  }
  loss.backward();
  for (const auto& [key, t] : in)
    if (t.defined()) expect_matches(t.grad().value(), ref.array<T>(name, key + ".grad"), name + " gradient of " + key);
  for (const auto& [key, p] : layer->named_parameters())
    expect_matches(p.grad().value(), ref.array<T>(name, key + ".grad"), name + " gradient of " + key);
}

TensorD random(const tg::Shape& shape, std::uint64_t seed) {
  tg::Generator gen(seed);
  return tg::uniform<double>(shape, -1, 1, gen, true);
}

BOOST_AUTO_TEST_SUITE(rnn_layers)

BOOST_AUTO_TEST_CASE(layers_give_pytorchs_outputs_final_states_and_gradients) {
  std::size_t checked = 0;
  for (const auto& name : RnnReference::get().cases("")) {
    if (name.find("_cell") != std::string::npos || name.rfind("state_dict", 0) == 0) continue;
    BOOST_TEST_CONTEXT(name) {
      if (RnnReference::get().settings(name).at("dtype") == "F64")
        check_layer<double>(name);
      else
        check_layer<float>(name);
    }
    ++checked;
  }
  BOOST_TEST(checked == 20u);  // 10 configurations, float and double
}

// The file rnn_reference.py wrote as safetensors.torch.save_file(lstm.state_dict()) would.
BOOST_AUTO_TEST_CASE(a_pytorch_state_dict_saved_as_safetensors_loads) {
  const auto& ref = RnnReference::get();
  const std::string name = "state_dict_lstm_f32";
  tg::nn::LSTM lstm(3, 4, options_of(ref.settings(name)));
  tg::nn::load_weights(std::string(TAPEGRAD_TEST_RNN) + "/lstm_state_dict.safetensors", lstm);
  const auto r = lstm.forward(ref.tensor<float>(name, "input"), {ref.tensor<float>(name, "h0"), ref.tensor<float>(name, "c0")});
  expect_matches(r.output.value(), ref.array<float>(name, "output"), "output");
  expect_matches(r.state.h.value(), ref.array<float>(name, "h_n"), "h_n");
  expect_matches(r.state.c.value(), ref.array<float>(name, "c_n"), "c_n");
}

// Every parameter, the input and the initial states of whole double layers against finite
// differences, with lengths, two layers, both directions and dropout off.
BOOST_AUTO_TEST_CASE(double_layers_gradcheck_as_a_whole) {
  const tg::nn::RNNOptions options{.num_layers = 2, .bidirectional = true};
  const std::vector<std::size_t> lengths = {3, 1};
  tg::nn::BasicLSTM<double> lstm(2, 2, options);
  tg::nn::BasicGRU<double> gru(2, 2, {.num_layers = 2, .batch_first = true});
  tg::nn::BasicRNN<double> rnn(2, 3, {.bias = false, .bidirectional = true, .nonlinearity = "relu"});
  const auto x = random({3, 2, 2}, 1), h0 = random({4, 2, 2}, 2), c0 = random({4, 2, 2}, 3);
  const auto gru_h0 = random({2, 3, 2}, 4);  // batch first: x is 3 sequences of 2 steps
  auto with = [](std::vector<TensorD> a, const std::vector<TensorD>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  BOOST_TEST(tg::gradcheck(
      [&](const std::vector<TensorD>&) {
        const auto r = lstm.forward(x, {h0, c0}, lengths);
        return tg::sum(r.output * r.output) + tg::sum(r.state.h) + tg::sum(tg::exp(r.state.c));
      },
      with({x, h0, c0}, lstm.parameters())));
  BOOST_TEST(tg::gradcheck(
      [&](const std::vector<TensorD>&) {
        const auto r = gru.forward(x, gru_h0);
        return tg::sum(r.output * r.output) + tg::sum(r.h);
      },
      with({x, gru_h0}, gru.parameters())));
  BOOST_TEST(tg::gradcheck([&](const std::vector<TensorD>&) { return tg::sum(tg::square(rnn.forward(x))); },
                           with({x}, rnn.parameters())));
}

BOOST_AUTO_TEST_CASE(forward_alone_works_inside_sequential) {
  tg::nn::manual_seed(3);
  auto lstm = std::make_shared<tg::nn::LSTM>(3, 4, tg::nn::RNNOptions{.batch_first = true});
  auto head = std::make_shared<tg::nn::Linear>(4, 2);
  tg::nn::Sequential net(lstm, head);
  tg::Generator gen(1);
  const auto x = tg::uniform<float>({2, 5, 3}, -1, 1, gen);
  expect_matches(net.forward(x).value(), head->forward(lstm->forward(x, {}).output).value(), "Sequential's output");
  BOOST_TEST(net.summary().find("LSTM(3 -> 4, batch_first)") != std::string::npos, net.summary());
}

// PyTorch's dropout acts between layers, in training only; one layer has nowhere to apply it.
BOOST_AUTO_TEST_CASE(dropout_acts_between_layers_in_training_only) {
  tg::nn::LSTM plain(3, 4, {.num_layers = 2}), dropped(3, 4, {.num_layers = 2, .dropout = 0.5});
  dropped.load_state_dict(plain.state_dict());
  tg::Generator gen(2);
  const auto x = tg::uniform<float>({4, 2, 3}, -1, 1, gen);
  dropped.eval();
  expect_matches(dropped.forward(x).value(), plain.forward(x).value(), "eval output");
  dropped.train();
  BOOST_TEST(xt::amax(xt::abs(dropped.forward(x).value() - plain.forward(x).value()))() > 1e-3);
  tg::nn::GRU one(3, 4, {.dropout = 0.5}), reference(3, 4);
  reference.load_state_dict(one.state_dict());
  expect_matches(one.forward(x).value(), reference.forward(x).value(), "single-layer training output");
}

BOOST_AUTO_TEST_CASE(summary_counts_pytorchs_parameters_and_checkpoints_round_trip) {
  tg::nn::LSTM lstm(3, 4, {.num_layers = 2, .bidirectional = true});
  // torch.nn.LSTM(3, 4, num_layers=2, bidirectional=True): 2 * (16*3 + 16*4 + 32) + 2 * (16*8 + 16*4 + 32)
  BOOST_TEST(lstm.parameter_count() == 736u);
  BOOST_TEST(lstm.summary().find("736") != std::string::npos, lstm.summary());
  const auto path = std::filesystem::temp_directory_path() / "tapegrad_rnn_layers_checkpoint.safetensors";
  tg::Generator gen(4);
  const auto x = tg::uniform<float>({5, 2, 3}, -1, 1, gen), y = tg::uniform<float>({5, 2, 8}, -1, 1, gen);
  tg::optim::Adam adam(lstm.parameters(), {.lr = 0.01});
  auto step = [&](tg::nn::LSTM& model, tg::optim::Adam& optimizer) {
    optimizer.zero_grad();
    tg::nn::mse_loss(model.forward(x), y).backward();
    optimizer.step();
  };
  step(lstm, adam);
  tg::nn::save_checkpoint(path.string(), lstm, adam);
  tg::nn::LSTM resumed(3, 4, {.num_layers = 2, .bidirectional = true});
  tg::optim::Adam resumed_adam(resumed.parameters(), {.lr = 0.01});
  tg::nn::load_checkpoint(path.string(), resumed, resumed_adam);
  step(lstm, adam);
  step(resumed, resumed_adam);
  BOOST_TEST(xt::all(xt::equal(resumed.forward(x).value(), lstm.forward(x).value())));
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(bad_input_names_the_layer_and_what_is_wrong) {
  tg::nn::LSTM lstm(3, 4, {.num_layers = 2});
  const auto x = tg::zeros<float>({5, 2, 3});
  BOOST_CHECK_EXCEPTION(lstm.forward(tg::zeros<float>({5, 2, 7})), tg::Error,
                        message_contains({"LSTM: the input of shape (5,2,7) has 7 features where the layer takes 3"}));
  BOOST_CHECK_EXCEPTION(lstm.forward(tg::zeros<float>({5, 3})), tg::Error,
                        message_contains({"LSTM: the input must be (S, B, 3), got shape (5,3)"}));
  BOOST_CHECK_EXCEPTION(lstm.forward(x, {tg::zeros<float>({1, 2, 4}), {}}), tg::Error,
                        message_contains({"LSTM: h0 has shape (1,2,4) where (2,2,4)"}));
  BOOST_CHECK_EXCEPTION(lstm.forward(x, {{}, tg::zeros<float>({2, 2, 5})}), tg::Error,
                        message_contains({"LSTM: c0 has shape (2,2,5) where (2,2,4)"}));
  BOOST_CHECK_EXCEPTION(lstm.forward(x, {}, {5, 6}), tg::Error,
                        message_contains({"LSTM: sequence 1 has length 6, longer than the 5 steps of the input"}));
  BOOST_CHECK_EXCEPTION(lstm.forward(x, {}, {5, 5, 5}), tg::Error,
                        message_contains({"LSTM: 3 sequence lengths for a batch of 2"}));
  tg::nn::GRU gru(3, 4, {.batch_first = true});
  BOOST_CHECK_EXCEPTION(gru.forward(x, tg::zeros<float>({1, 2, 4})), tg::Error,
                        message_contains({"GRU: h0 has shape (1,2,4) where (1,5,4)"}));
  BOOST_CHECK_EXCEPTION(tg::nn::RNN(3, 4, {.nonlinearity = "sigmoid"}), tg::Error,
                        message_contains({"RNN: unknown nonlinearity \"sigmoid\" (expected \"tanh\" or \"relu\")"}));
  BOOST_CHECK_EXCEPTION(tg::nn::LSTM(3, 4, {.nonlinearity = "relu"}), tg::Error,
                        message_contains({"LSTM: the nonlinearity \"relu\" is an option of RNN only"}));
  BOOST_CHECK_EXCEPTION(tg::nn::GRU(3, 4, {.dropout = 1.5}), tg::Error,
                        message_contains({"GRU: dropout must lie in [0, 1)"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
