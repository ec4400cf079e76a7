// W3 on libtorch, the peer of bench/w3_tape.cpp: an MLP 2-16-16-1 with tanh trained one sample
// per step (MSE, SGD lr 0.01), microseconds per step; and a chain of elementwise operations on a
// one-element tensor, exp and log in turn (so the gradient stays 1, never a slow denormal), then
// backward: microseconds per operation, forward and backward together.
#include <cstdio>
#include <exception>
#include <vector>

#include "bench/libtorch/threads.hpp"
#include "bench/workload.hpp"

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"steps", "10000"}, {"chain", "1000"}, {"chains", "200"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const std::size_t steps = args.count("steps"), chain = args.count("chain"), chains = args.count("chains");

  auto data = bench::regression_data(steps);
  std::vector<torch::Tensor> inputs, targets;
  for (std::size_t i = 0; i < steps; ++i) {
    inputs.push_back(torch::from_blob(&data.inputs[2 * i], {1, 2}, torch::kFloat).clone());
    targets.push_back(torch::from_blob(&data.targets[i], {1, 1}, torch::kFloat).clone());
  }
  bench::reset_peak_memory();  // each workload's own peak
  torch::manual_seed(1);
  torch::nn::Sequential net(torch::nn::Linear(2, 16), torch::nn::Tanh(), torch::nn::Linear(16, 16), torch::nn::Tanh(),
                            torch::nn::Linear(16, 1));
  torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(0.01));
  double loss_sum = 0;
  auto start = bench::Clock::now();
  for (std::size_t i = 0; i < steps; ++i) {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(net->forward(inputs[i]), targets[i]);
    loss.backward();
    optimizer.step();
    loss_sum += loss.item<double>();
  }
  const double step_seconds = bench::seconds_since(start);
  bench::report("W3_mlp_step", "libtorch", threads,
                {{"us_per_step", step_seconds / double(steps) * 1e6}, {"mean_loss", loss_sum / double(steps)}});

  bench::reset_peak_memory();  // each workload's own peak
  auto x = torch::full({1}, 0.5, torch::requires_grad());
  double forward_seconds = 0, backward_seconds = 0;
  for (std::size_t c = 0; c <= chains; ++c) {  // chain 0 is a warm-up
    start = bench::Clock::now();
    torch::Tensor y = x;
    for (std::size_t i = 0; i < chain; ++i) y = i % 2 ? torch::log(y) : torch::exp(y);
    const auto middle = bench::Clock::now();
    if (x.grad().defined()) x.mutable_grad().zero_();
    y.backward();
    if (c == 0) continue;
    forward_seconds += std::chrono::duration<double>(middle - start).count();
    backward_seconds += bench::seconds_since(middle);
  }
  const double ops = double(chain * chains);
  bench::report("W3_chain_op", "libtorch", threads,
                {{"us_per_op", (forward_seconds + backward_seconds) / ops * 1e6},
                 {"forward_us_per_op", forward_seconds / ops * 1e6},
                 {"backward_us_per_op", backward_seconds / ops * 1e6},
                 {"grad", x.grad().item<double>()}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "libtorch w3_tape: %s\n", e.what());
  return 1;
}
