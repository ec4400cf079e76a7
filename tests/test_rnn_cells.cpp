// The recurrent cells against PyTorch's numbers (tests/rnn_reference.py), the fused sequences
// against the same cells composed of plain tg ops step by step, the rules' create_graph form
// against their plain form, and the errors for bad shapes and lengths.
#include <boost/test/unit_test.hpp>

#include "tests/error_message.hpp"
#include "tests/op_table.hpp"
#include "tests/rnn_composed.hpp"
#include "tests/rnn_reference.hpp"

namespace {

using tg::TensorD;
using tg::testing::expect_matches;
using tg::testing::message_contains;
using tg::testing::RnnReference;

template <class T>
void check_cell(const std::string& name) {
  const auto& ref = RnnReference::get();
  const auto settings = ref.settings(name);
  const bool bias = settings.at("bias") == "1";
  std::map<std::string, tg::BasicTensor<T>> in;
  for (const char* key : {"x", "h", "c", "weight_ih", "weight_hh", "bias_ih", "bias_hh"})
    if (ref.has(name, key)) in[key] = ref.tensor<T>(name, key, true);
  BOOST_TEST_REQUIRE(in.count("bias_ih") == std::size_t(bias));
  const auto& [x, h, w_ih, w_hh] = std::tie(in["x"], in["h"], in["weight_ih"], in["weight_hh"]);
  std::map<std::string, tg::BasicTensor<T>> out;
  const std::string kind = settings.at("kind");
  if (kind == "LSTMCell") {
    const auto s = tg::nn::lstm_cell(x, {h, in["c"]}, w_ih, w_hh, in["bias_ih"], in["bias_hh"]);
    out = {{"h_next", s.h}, {"c_next", s.c}};
  } else if (kind == "GRUCell") {
    out["h_next"] = tg::nn::gru_cell(x, h, w_ih, w_hh, in["bias_ih"], in["bias_hh"]);
  } else {
    const auto cell = settings.at("nonlinearity") == "relu" ? tg::nn::rnn_relu_cell<T> : tg::nn::rnn_tanh_cell<T>;
    out["h_next"] = cell(x, h, w_ih, w_hh, in["bias_ih"], in["bias_hh"]);
  }
  tg::BasicTensor<T> loss = tg::zeros<T>({});
  for (const auto& [key, value] : out) {
    expect_matches(value.value(), ref.array<T>(name, key), name + " " + key);
    loss = loss + tg::sum(value * ref.tensor<T>(name, "grad_" + key));
  }
  loss.backward();
  for (const auto& [key, t] : in)
    if (t.defined()) expect_matches(t.grad().value(), ref.array<T>(name, key + ".grad"), name + " gradient of " + key);
}

BOOST_AUTO_TEST_SUITE(rnn_cells)

BOOST_AUTO_TEST_CASE(cells_give_pytorchs_outputs_and_gradients) {
  const auto cases = RnnReference::get().cases("");
  std::size_t checked = 0;
  for (const auto& name : cases) {
    if (name.find("_cell") == std::string::npos) continue;
    BOOST_TEST_CONTEXT(name) {
      if (RnnReference::get().settings(name).at("dtype") == "F64")
        check_cell<double>(name);
      else
        check_cell<float>(name);
    }
    ++checked;
  }
  BOOST_TEST(checked == 14u);  // 7 cells, float and double
}

// Each fused sequence over 4 steps with ended rows, forward and reversed, equals the composed cell run
// step by step where each row keeps its state once its sequence has ended: values and gradients.
BOOST_AUTO_TEST_CASE(fused_sequences_equal_composed_cells_step_by_step) {
  const std::size_t S = 4, B = 3, I = 2, H = 3;
  const std::vector<std::size_t> lengths = {4, 1, 3};
  for (const bool reverse : {false, true})
    for (const std::string kind : {"lstm", "gru", "rnn_tanh", "rnn_relu"}) {
      BOOST_TEST_CONTEXT(kind << (reverse ? " reversed" : "")) {
        const std::size_t G = kind == "lstm" ? 4 : kind == "gru" ? 3 : 1;
        tg::Generator gen(7);
        const auto x = tg::uniform<double>({S, B, I}, -1.5, 1.5, gen, true);
        const auto w_ih = tg::uniform<double>({G * H, I}, -1, 1, gen, true);
        const auto w_hh = tg::uniform<double>({G * H, H}, -1, 1, gen, true);
        const auto b_ih = tg::uniform<double>({G * H}, -1, 1, gen, true);
        const auto b_hh = tg::uniform<double>({G * H}, -1, 1, gen, true);
        const auto h0 = tg::uniform<double>({B, H}, -1, 1, gen, true), c0 = tg::uniform<double>({B, H}, -1, 1, gen, true);
        const auto seed = tg::uniform<double>({S, B, H}, -1, 1, gen);
        const std::vector<TensorD> leaves = {x, w_ih, w_hh, b_ih, b_hh, h0, c0};

        // Fused: the whole sequence in one operation.
        const tg::SequenceOptions options{.reverse = reverse,
                                          .lengths = std::make_shared<const std::vector<std::size_t>>(lengths)};
        TensorD fused;
        if (kind == "lstm")
          fused = tg::slice(tg::lstm_sequence(x, tg::concat({h0, c0}, 1), w_ih, w_hh, b_ih, b_hh, options),
                            {tg::Slice{}, tg::Slice{}, tg::Slice{0, std::ptrdiff_t(H)}});
        else if (kind == "gru")
          fused = tg::gru_sequence(x, h0, w_ih, w_hh, b_ih, b_hh, options);
        else
          fused = tg::rnn_sequence(x, h0, w_ih, w_hh, b_ih, b_hh,
                                   kind == "rnn_tanh" ? tg::RNNNonlinearity::Tanh : tg::RNNNonlinearity::ReLU, options);
        const auto fused_grads = tg::grad({tg::sum(fused * seed)}, leaves, {}, {.allow_unused = true});

        // Composed, one step at a time; an ended row keeps its state through where().
        std::vector<TensorD> states(S);
        tg::nn::BasicLSTMState<double> state{h0, c0};
        for (std::size_t k = 0; k < S; ++k) {
          const std::size_t t = reverse ? S - 1 - k : k;
          const auto xt = tg::reshape(tg::slice(x, {tg::Slice{std::ptrdiff_t(t), std::ptrdiff_t(t + 1)}}), {B, I});
          tg::nn::BasicLSTMState<double> next;
          if (kind == "lstm")
            next = tg::testing::composed_lstm_cell(xt, state, w_ih, w_hh, b_ih, b_hh);
          else if (kind == "gru")
            next.h = tg::testing::composed_gru_cell(xt, state.h, w_ih, w_hh, b_ih, b_hh);
          else
            next.h = tg::testing::composed_rnn_cell(xt, state.h, w_ih, w_hh, b_ih, b_hh, kind == "rnn_relu");
          xt::xarray<double> active = xt::xarray<double>::from_shape({B, H});
          for (std::size_t r = 0; r < B; ++r)
            for (std::size_t j = 0; j < H; ++j) active(r, j) = t < lengths[r] ? 1.0 : 0.0;
          const auto keep = TensorD::from(active);
          state.h = tg::where(keep, next.h, state.h);
          if (kind == "lstm") state.c = tg::where(keep, next.c, state.c);
          states[t] = state.h;
        }
        const auto composed = tg::stack(states, 0);
        expect_matches(fused.value(), composed.value(), "outputs");
        const auto composed_grads = tg::grad({tg::sum(composed * seed)}, leaves, {}, {.allow_unused = true});
        for (std::size_t i = 0; i < leaves.size(); ++i) {
          BOOST_TEST_REQUIRE(fused_grads[i].defined() == composed_grads[i].defined());
          if (fused_grads[i].defined())
            expect_matches(fused_grads[i].value(), composed_grads[i].value(), "gradient of leaf " + std::to_string(i));
        }
      }
    }
}

// Under create_graph each rule takes its other form, written in tg ops; gradgradcheck checks that
// form's own derivative, so here its first derivatives are held to the plain rule's: every op.
BOOST_AUTO_TEST_CASE(recorded_rules_give_the_plain_rules_first_derivatives) {
  for (const auto& op : tg::testing::op_table()) {
    BOOST_TEST_CONTEXT(op.name) {
      const auto inputs = tg::testing::sample_inputs(op, op.shapes.front(), 3);
      const auto out = op.build(inputs);
      tg::Generator gen(5);
      const auto seed = tg::uniform<double>(out.shape(), -1, 1, gen);
      const auto plain = tg::grad({out}, inputs, {seed}, {.retain_graph = true, .allow_unused = true});
      const auto recorded = tg::grad({out}, inputs, {seed}, {.create_graph = true, .allow_unused = true});
      for (std::size_t i = 0; i < inputs.size(); ++i)
        if (plain[i].defined()) expect_matches(recorded[i].value(), plain[i].value(), "input " + std::to_string(i));
    }
  }
}

BOOST_AUTO_TEST_CASE(cells_name_the_argument_of_the_wrong_shape) {
  const auto x = tg::zeros<double>({2, 3}), h = tg::zeros<double>({2, 4}), c = tg::zeros<double>({2, 4});
  const auto w_ih = tg::zeros<double>({16, 3}), w_hh = tg::zeros<double>({16, 4}), b = tg::zeros<double>({16});
  BOOST_CHECK_EXCEPTION(tg::nn::lstm_cell(tg::zeros<double>({2, 5}), {h, c}, w_ih, w_hh, b, b), tg::Error,
                        message_contains({"lstm_cell: x has shape (2,5) where (B, 3) to fit w_ih was expected"}));
  BOOST_CHECK_EXCEPTION(tg::nn::lstm_cell(x, {tg::zeros<double>({3, 4}), c}, w_ih, w_hh, b, b), tg::Error,
                        message_contains({"lstm_cell: h has shape (3,4) where (2, 4) was expected"}));
  BOOST_CHECK_EXCEPTION(tg::nn::lstm_cell(x, {h, tg::zeros<double>({2, 3})}, w_ih, w_hh, b, b), tg::Error,
                        message_contains({"lstm_cell: c has shape (2,3)"}));
  BOOST_CHECK_EXCEPTION(tg::nn::lstm_cell(x, {h, {}}, w_ih, w_hh, b, b), tg::Error,
                        message_contains({"lstm_cell: the state's c must be a defined tensor"}));
  BOOST_CHECK_EXCEPTION(tg::nn::gru_cell(x, h, w_ih, w_hh, b, b), tg::Error,
                        message_contains({"gru_cell: w_hh has shape (16,4) where (3*H, H) was expected"}));
  BOOST_CHECK_EXCEPTION(tg::nn::rnn_tanh_cell(x, h, tg::zeros<double>({4, 3}), tg::zeros<double>({4, 4}),
                                              tg::zeros<double>({5}), {}),
                        tg::Error, message_contains({"rnn_tanh_cell: b_ih has shape (5) where (4) was expected"}));
  BOOST_CHECK_EXCEPTION(tg::nn::rnn_relu_cell(x, h, tg::zeros<double>({5, 3}), tg::zeros<double>({4, 4}), {}, {}),
                        tg::Error, message_contains({"rnn_relu_cell: w_ih has shape (5,3) where (4, input size)"}));
}

BOOST_AUTO_TEST_CASE(sequences_refuse_shapes_and_lengths_that_do_not_fit) {
  const auto x = tg::zeros<double>({3, 2, 5}), h0 = tg::zeros<double>({2, 4});
  const auto w_ih = tg::zeros<double>({4, 5}), w_hh = tg::zeros<double>({4, 4});
  auto lengths = [](std::vector<std::size_t> l) {
    return tg::SequenceOptions{.lengths = std::make_shared<const std::vector<std::size_t>>(std::move(l))};
  };
  BOOST_CHECK_EXCEPTION(tg::rnn_sequence(x, h0, w_ih, w_hh, {}, {}, tg::RNNNonlinearity::Tanh, lengths({3, 4})),
                        tg::Error, message_contains({"rnn_tanh_sequence: a sequence length of 4 exceeds the 3 steps"}));
  BOOST_CHECK_EXCEPTION(tg::rnn_sequence(x, h0, w_ih, w_hh, {}, {}, tg::RNNNonlinearity::ReLU, lengths({3})), tg::Error,
                        message_contains({"rnn_relu_sequence: 1 sequence lengths for a batch of 2"}));
  BOOST_CHECK_EXCEPTION(tg::gru_sequence(x, h0, tg::zeros<double>({12, 5}), tg::zeros<double>({12, 3}), {}, {}),
                        tg::Error, message_contains({"gru_sequence: the recurrent weight must be (3*H, H), got shape (12,3)"}));
  BOOST_CHECK_EXCEPTION(tg::gru_sequence(x, h0, tg::zeros<double>({12, 4}), tg::zeros<double>({12, 4}), {}, {}),
                        tg::Error, message_contains({"gru_sequence: the input must be (S, B, 4) or (B, 4), got shape (3,2,5)"}));
  BOOST_CHECK_EXCEPTION(tg::lstm_sequence(x, h0, tg::zeros<double>({16, 5}), tg::zeros<double>({16, 4}), {}, {}),
                        tg::Error, message_contains({"lstm_sequence: the initial state must be (2, 8), got shape (2,4)"}));
  BOOST_CHECK_EXCEPTION(tg::rnn_sequence(x, h0, w_ih, w_hh, tg::zeros<double>({5}), {}, tg::RNNNonlinearity::Tanh),
                        tg::Error, message_contains({"rnn_tanh_sequence: the biases must be (4), got shape (5)"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
