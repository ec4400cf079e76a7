// W5 on libtorch, the peer of bench/w5_lstm.cpp: torch::nn::LSTM (input 32, hidden 128) over a
// sequence of 50, MSE of its outputs against fixed targets, Adam lr 1e-3: milliseconds per
// training step (zero_grad, forward, backward, step) at the given batch, and the peak resident
// memory while stepping.
#include <cstdio>
#include <exception>
#include <string>

#include "bench/libtorch/threads.hpp"
#include "bench/w5_lstm.hpp"

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(
      argc, argv, {{"batch", "32"}, {"seq", "50"}, {"input", "32"}, {"hidden", "128"}, {"steps", "20"}, {"warmup", "3"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const long batch = long(args.count("batch")), seq = long(args.count("seq")), input = long(args.count("input")),
             hidden = long(args.count("hidden"));
  auto data = bench::lstm_data(seq, batch, input, hidden);
  const auto x = torch::from_blob(data.inputs.data(), {seq, batch, input}, torch::kFloat).clone();
  const auto y = torch::from_blob(data.targets.data(), {seq, batch, hidden}, torch::kFloat).clone();
  torch::manual_seed(1);
  torch::nn::LSTM lstm(torch::nn::LSTMOptions(input, hidden));
  torch::optim::Adam optimizer(lstm->parameters(), torch::optim::AdamOptions(1e-3));
  auto step = [&] {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(std::get<0>(lstm->forward(x)), y);
    loss.backward();
    optimizer.step();
    return loss.item<double>();
  };
  bench::time_lstm_steps(step, args, std::size_t(batch), "libtorch", threads);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "libtorch w5_lstm: %s\n", e.what());
  return 1;
}
