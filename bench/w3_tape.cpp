// W3, the tape's own overhead on tiny tensors: an MLP 2-16-16-1 with tanh trained one sample
// per step (MSE, SGD lr 0.01), microseconds per step; and a chain of elementwise operations on
// a one-element tensor, exp and log in turn (so the gradient stays 1, never a slow denormal),
// swept back by backward: microseconds per operation, forward and backward together.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <vector>

#include "bench/blas_threads.hpp"
#include "bench/workload.hpp"
#include "tapegrad.hpp"

namespace {

// `count` floats from `values` as a (1, count) tensor: one sample.
tg::Tensor row(const float* values, std::size_t count) {
  xt::xarray<float> array = xt::xarray<float>::from_shape({1, count});
  std::copy_n(values, count, array.data());
  return tg::Tensor::from(std::move(array));
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"steps", "10000"}, {"chain", "1000"}, {"chains", "200"}});
  const int threads = int(args.count("threads"));
  bench::set_threads(threads);
  const std::size_t steps = args.count("steps"), chain = args.count("chain"), chains = args.count("chains");

  const auto data = bench::regression_data(steps);
  std::vector<tg::Tensor> inputs, targets;
  for (std::size_t i = 0; i < steps; ++i) {
    inputs.push_back(row(&data.inputs[2 * i], 2));
    targets.push_back(row(&data.targets[i], 1));
  }
  bench::reset_peak_memory();  // each workload's own peak
  tg::nn::manual_seed(1);
  tg::nn::Sequential net(tg::nn::Linear(2, 16), tg::nn::Tanh(), tg::nn::Linear(16, 16), tg::nn::Tanh(),
                         tg::nn::Linear(16, 1));
  tg::optim::SGD optimizer(net.parameters(), {.lr = 0.01});
  double loss_sum = 0;
  auto start = bench::Clock::now();
  for (std::size_t i = 0; i < steps; ++i) {
    optimizer.zero_grad();
    auto loss = tg::nn::mse_loss(net(inputs[i]), targets[i]);
    loss.backward();
    optimizer.step();
    loss_sum += loss.item();
  }
  const double step_seconds = bench::seconds_since(start);
  bench::report("W3_mlp_step", "tapegrad", threads,
                {{"us_per_step", step_seconds / double(steps) * 1e6}, {"mean_loss", loss_sum / double(steps)}});

  bench::reset_peak_memory();  // each workload's own peak
  auto x = tg::Tensor::from(xt::xarray<float>{0.5f}, true);
  double forward_seconds = 0, backward_seconds = 0;
  for (std::size_t c = 0; c <= chains; ++c) {  // chain 0 is a warm-up
    start = bench::Clock::now();
    tg::Tensor y = x;
    for (std::size_t i = 0; i < chain; ++i) y = i % 2 ? tg::log(y) : tg::exp(y);
    const auto middle = bench::Clock::now();
    x.zero_grad();
    y.backward();
    if (c == 0) continue;
    forward_seconds += std::chrono::duration<double>(middle - start).count();
    backward_seconds += bench::seconds_since(middle);
  }
  const double ops = double(chain * chains);
  bench::report("W3_chain_op", "tapegrad", threads,
                {{"us_per_op", (forward_seconds + backward_seconds) / ops * 1e6},
                 {"forward_us_per_op", forward_seconds / ops * 1e6},
                 {"backward_us_per_op", backward_seconds / ops * 1e6},
                 {"grad", x.grad().item()}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "w3_tape: %s\n", e.what());
  return 1;
}
