// The lower bounds of the tape workloads: W3 and W4's arithmetic written as plain loops, with
// hand-derived gradients and no tape, no allocation per step. What an engine cannot beat on
// the same machine; scripts/bench.sh sets tapegrad's times beside them ("x bound").
#include <array>
#include <cmath>
#include <cstdio>
#include <exception>
#include <vector>

#include "bench/workload.hpp"

namespace {

// W3: MLP 2-16-16-1, tanh, batch 1, MSE, SGD lr 0.01: one step per sample. Its starting weights
// are its own (so its loss differs from the workload's): what a step costs does not depend on them.
struct Mlp {
  static constexpr int hidden = 16;
  std::array<float, hidden * 2> w1{};
  std::array<float, hidden> b1{};
  std::array<float, hidden * hidden> w2{};
  std::array<float, hidden> b2{};
  std::array<float, hidden> w3{};
  float b3 = 0;

  explicit Mlp(bench::Uniform& uniform) {
    for (float& v : w1) v = float(uniform(-0.7, 0.7));
    for (float& v : w2) v = float(uniform(-0.25, 0.25));
    for (float& v : w3) v = float(uniform(-0.25, 0.25));
  }

  float step(const float* x, float target, float lr) {
    std::array<float, hidden> h1, h2, g1, g2;
    for (int i = 0; i < hidden; ++i) h1[i] = std::tanh(w1[2 * i] * x[0] + w1[2 * i + 1] * x[1] + b1[i]);
    for (int i = 0; i < hidden; ++i) {
      float s = b2[i];
      for (int j = 0; j < hidden; ++j) s += w2[i * hidden + j] * h1[j];
      h2[i] = std::tanh(s);
    }
    float y = b3;
    for (int j = 0; j < hidden; ++j) y += w3[j] * h2[j];
    const float err = y - target, gy = 2 * err;
    for (int j = 0; j < hidden; ++j) g2[j] = gy * w3[j] * (1 - h2[j] * h2[j]);
    for (int j = 0; j < hidden; ++j) {
      float s = 0;
      for (int i = 0; i < hidden; ++i) s += w2[i * hidden + j] * g2[i];
      g1[j] = s * (1 - h1[j] * h1[j]);
    }
    for (int j = 0; j < hidden; ++j) w3[j] -= lr * gy * h2[j];
    b3 -= lr * gy;
    for (int i = 0; i < hidden; ++i) {
      for (int j = 0; j < hidden; ++j) w2[i * hidden + j] -= lr * g2[i] * h1[j];
      b2[i] -= lr * g2[i];
    }
    for (int i = 0; i < hidden; ++i) {
      w1[2 * i] -= lr * g1[i] * x[0];
      w1[2 * i + 1] -= lr * g1[i] * x[1];
      b1[i] -= lr * g1[i];
    }
    return err * err;
  }
};

// W4: 3-4-1 sigmoid on XOR, full batch of 4, gradient descent with step 1 on SSE/2, in double.
double xor_iterations(std::size_t iterations, double& mean_abs_error) {
  bench::Uniform uniform(1);
  const auto w0 = bench::xor_weights(12, uniform), w1 = bench::xor_weights(4, uniform);
  std::array<double, 12> syn0;
  std::array<double, 4> syn1;
  std::copy(w0.begin(), w0.end(), syn0.begin());
  std::copy(w1.begin(), w1.end(), syn1.begin());
  const auto& X = bench::xor_inputs;
  const auto& y = bench::xor_targets;
  std::array<double, 16> l1, d1;
  std::array<double, 4> l2, d2;
  const auto start = bench::Clock::now();
  for (std::size_t it = 0; it < iterations; ++it) {
    for (int r = 0; r < 4; ++r) {
      for (int c = 0; c < 4; ++c)
        l1[r * 4 + c] = 1 / (1 + std::exp(-(X[r * 3] * syn0[c] + X[r * 3 + 1] * syn0[4 + c] + X[r * 3 + 2] * syn0[8 + c])));
      double s = 0;
      for (int c = 0; c < 4; ++c) s += l1[r * 4 + c] * syn1[c];
      l2[r] = 1 / (1 + std::exp(-s));
      d2[r] = (y[r] - l2[r]) * l2[r] * (1 - l2[r]);
      for (int c = 0; c < 4; ++c) d1[r * 4 + c] = d2[r] * syn1[c] * l1[r * 4 + c] * (1 - l1[r * 4 + c]);
    }
    for (int c = 0; c < 4; ++c)
      for (int r = 0; r < 4; ++r) syn1[c] += l1[r * 4 + c] * d2[r];
    for (int k = 0; k < 3; ++k)
      for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) syn0[k * 4 + c] += X[r * 3 + k] * d1[r * 4 + c];
  }
  const double seconds = bench::seconds_since(start);
  mean_abs_error = 0;
  for (int r = 0; r < 4; ++r) mean_abs_error += std::abs(y[r] - l2[r]) / 4;
  return seconds;
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(
      argc, argv, {{"steps", "10000"}, {"chain", "1000"}, {"chains", "200"}, {"iterations", "60000"}});
  const int threads = int(args.count("threads"));  // the loops are serial: the same at every count
  const std::size_t steps = args.count("steps"), chain = args.count("chain"), chains = args.count("chains");

  const auto data = bench::regression_data(steps);
  bench::Uniform uniform(1);
  Mlp net(uniform);
  double loss_sum = 0;
  auto start = bench::Clock::now();
  for (std::size_t i = 0; i < steps; ++i) loss_sum += net.step(&data.inputs[2 * i], data.targets[i], 0.01f);
  bench::report("W3_mlp_step", "bound", threads,
                {{"us_per_step", bench::seconds_since(start) / double(steps) * 1e6}, {"mean_loss", loss_sum / double(steps)}});

  // The chain's values are kept for the backward sweep, as a tape keeps them.
  std::vector<float> values(chain + 1);
  double grad_sum = 0;  // reported, so that no chain can be left out
  start = bench::Clock::now();
  for (std::size_t c = 0; c < chains; ++c) {
    values[0] = 0.5f + float(c) * 1e-6f;
    for (std::size_t i = 0; i < chain; ++i) values[i + 1] = i % 2 ? std::log(values[i]) : std::exp(values[i]);
    float grad = 1;
    for (std::size_t i = chain; i-- > 0;) grad *= i % 2 ? 1 / values[i] : values[i + 1];
    grad_sum += grad;
  }
  const double ops = double(chain * chains);
  bench::report("W3_chain_op", "bound", threads,
                {{"us_per_op", bench::seconds_since(start) / ops * 1e6}, {"mean_grad", grad_sum / double(chains)}});

  double error = 0;
  const double seconds = xor_iterations(args.count("iterations"), error);
  bench::report("W4_xor", "bound", threads, {{"seconds", seconds}, {"mean_abs_error", error}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bound_loops: %s\n", e.what());
  return 1;
}
