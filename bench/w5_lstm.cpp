// W5 on tapegrad: an LSTM layer (input 32, hidden 128) over a sequence of 50, MSE of its outputs
// against fixed targets, Adam lr 1e-3: milliseconds per training step (zero_grad, forward,
// backward, step) at the given batch, and the peak resident memory while stepping. The peer is
// bench/libtorch/w5_lstm.cpp, with the same data.
#include <cstdio>
#include <exception>
#include <string>

#include <xtensor/xadapt.hpp>

#include "bench/w5_lstm.hpp"
#include "tapegrad.hpp"

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(
      argc, argv, {{"batch", "32"}, {"seq", "50"}, {"input", "32"}, {"hidden", "128"}, {"steps", "20"}, {"warmup", "3"}});
  const int threads = int(args.count("threads"));
  tg::set_num_threads(threads);
  const std::size_t batch = args.count("batch"), seq = args.count("seq"), input = args.count("input"),
                    hidden = args.count("hidden");
  const auto data = bench::lstm_data(seq, batch, input, hidden);
  const auto x = tg::Tensor::from(xt::adapt(data.inputs, std::vector<std::size_t>{seq, batch, input}));
  const auto y = tg::Tensor::from(xt::adapt(data.targets, std::vector<std::size_t>{seq, batch, hidden}));
  tg::nn::manual_seed(1);
  tg::nn::LSTM lstm(input, hidden);
  tg::optim::Adam optimizer(lstm.parameters(), {.lr = 1e-3});
  auto step = [&] {
    optimizer.zero_grad();
    auto loss = tg::nn::mse_loss(lstm.forward(x), y);
    loss.backward();
    optimizer.step();
    return double(loss.item());
  };
  bench::time_lstm_steps(step, args, std::size_t(batch), "tapegrad", threads);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w5_lstm: %s\n", e.what());
  return 1;
}
