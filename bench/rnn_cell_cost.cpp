// What fusing the recurrent cells saves: one training pass (forward over a sequence, backward
// to every weight) of W5's LSTM, 32 -> 128 over 50 steps, with the cell composed of ~18 tg
// operations (tests/rnn_composed.hpp), with the fused nn::lstm_cell step after step, and as the
// LSTM layer runs it (one lstm_sequence: every step's input product in one matmul). Instruction
// counts are steadier than time on a busy machine:
//   valgrind --tool=callgrind build/bench/rnn_cell_cost --variant fused --iterations 1   (and 3)
#include <cstdio>

#include "bench/workload.hpp"
#include "tapegrad.hpp"
#include "tests/rnn_composed.hpp"

namespace {

using tg::Tensor;

struct Weights {
  Tensor w_ih, w_hh, b_ih, b_hh;
};

Tensor run(const std::string& variant, const Tensor& x, const Weights& p, std::size_t hidden) {
  const std::size_t steps = x.shape()[0], batch = x.shape()[1];
  tg::nn::LSTMState state{tg::zeros<float>({batch, hidden}), tg::zeros<float>({batch, hidden})};
  std::vector<Tensor> outputs;
  if (variant == "sequence") {
    const auto states = tg::lstm_sequence(x, tg::concat({state.h, state.c}, 1), p.w_ih, p.w_hh, p.b_ih, p.b_hh);
    return tg::sum(tg::slice(states, {tg::Slice{}, tg::Slice{}, tg::Slice{0, std::ptrdiff_t(hidden)}}));
  }
  for (std::size_t t = 0; t < steps; ++t) {
    const auto xt = tg::reshape(tg::slice(x, {{std::ptrdiff_t(t), std::ptrdiff_t(t + 1)}}), {batch, x.shape()[2]});
    state = variant == "composed" ? tg::testing::composed_lstm_cell(xt, state, p.w_ih, p.w_hh, p.b_ih, p.b_hh)
                                  : tg::nn::lstm_cell(xt, state, p.w_ih, p.w_hh, p.b_ih, p.b_hh);
    outputs.push_back(state.h);
  }
  return tg::sum(tg::stack(outputs, 0));
}

}  // namespace

int main(int argc, char** argv) {
  auto args = bench::parse_args(argc, argv, {{"variant", "fused"}, {"batch", "32"}, {"steps", "50"},
                                             {"input", "32"}, {"hidden", "128"}, {"iterations", "20"}});
  const std::string variant = args.str("variant");
  if (variant != "composed" && variant != "fused" && variant != "sequence") {
    std::fprintf(stderr, "--variant must be composed, fused or sequence\n");
    return 2;
  }
  tg::set_num_threads(int(args.count("threads")));
  const std::size_t batch = args.count("batch"), steps = args.count("steps"), input = args.count("input"),
                    hidden = args.count("hidden");
  tg::Generator gen(1);
  const float bound = 1.0f / std::sqrt(float(hidden));
  Weights p{tg::uniform<float>({4 * hidden, input}, -bound, bound, gen, true),
            tg::uniform<float>({4 * hidden, hidden}, -bound, bound, gen, true),
            tg::uniform<float>({4 * hidden}, -bound, bound, gen, true),
            tg::uniform<float>({4 * hidden}, -bound, bound, gen, true)};
  const Tensor x = tg::randn<float>({steps, batch, input}, gen);
  const int iterations = int(args.count("iterations"));
  const auto start = bench::Clock::now();
  double total = 0;
  for (int i = 0; i < iterations; ++i) {
    for (Tensor* w : {&p.w_ih, &p.w_hh, &p.b_ih, &p.b_hh}) w->zero_grad();
    Tensor loss = run(variant, x, p, hidden);
    loss.backward();
    total += loss.item();
  }
  const double ms = bench::seconds_since(start) * 1e3 / iterations;
  std::printf("variant %s, batch %zu: %.3f ms per forward + backward (loss %.6g)\n", variant.c_str(), batch, ms,
              total / iterations);
}
