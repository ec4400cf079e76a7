// The lower bounds of the BLAS-bound workloads, measured with the kernels and thread count
// tapegrad runs: W1's matrix products alone (five GEMMs per batch of 64; gemv, ger and axpy
// per sample) and W2's convolutions and dense layer as the GEMMs of their im2col form, over
// the whole batch. No activation, loss, im2col or optimizer pass: what remains when those
// cost nothing. scripts/bench.sh sets tapegrad's times beside them ("x bound").
#include <cblas.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <vector>

#include "bench/workload.hpp"
#include "ops/cpu/settings.hpp"

namespace {

// Matrices of uniform values: what a product costs does not depend on them.
std::vector<float> matrix(std::size_t rows, std::size_t cols, bench::Uniform& uniform) {
  std::vector<float> m(rows * cols);
  for (float& v : m) v = float(uniform(-0.1, 0.1));
  return m;
}

// c (m x n) = op(a) op(b), row-major.
void gemm(bool ta, bool tb, std::size_t m, std::size_t n, std::size_t k, const std::vector<float>& a,
          const std::vector<float>& b, std::vector<float>& c) {
  cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, int(m), int(n), int(k),
              1.0f, a.data(), int(ta ? m : k), b.data(), int(tb ? k : n), 0.0f, c.data(), int(n));
}

// The least of `repeats` timings of `run`, in seconds: a bound is the best the machine does.
template <class Run>
double best_of(int repeats, Run run) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto start = bench::Clock::now();
    run();
    best = std::min(best, bench::seconds_since(start));
  }
  return best;
}

// W1 784-100-10 at batch 64, one epoch of 60,000 images: y1 = x w1^T, y2 = h w2^T; backward
// dw2 = g2^T h, dh = g2 w2, dw1 = g1^T x (no gradient for the images).
double w1_epoch(bench::Uniform& uniform) {
  const std::size_t batch = 64, in = 784, hidden = 100, out = 10, images = 60000;
  const auto x = matrix(batch, in, uniform), w1 = matrix(hidden, in, uniform), w2 = matrix(out, hidden, uniform);
  const auto g2 = matrix(batch, out, uniform), g1 = matrix(batch, hidden, uniform);
  std::vector<float> h(batch * hidden), y2(batch * out), dw2(out * hidden), dh(batch * hidden), dw1(hidden * in);
  return best_of(3, [&] {
    for (std::size_t first = 0; first < images; first += batch) {
      const std::size_t n = std::min(batch, images - first);
      gemm(false, true, n, hidden, in, x, w1, h);
      gemm(false, true, n, out, hidden, h, w2, y2);
      gemm(true, false, out, hidden, n, g2, h, dw2);
      gemm(false, false, n, hidden, out, g2, w2, dh);
      gemm(true, false, hidden, in, n, g1, x, dw1);
    }
  });
}

// W1 at batch 1, per sample: two gemv forward, one backward (dh = w2^T g2), the two weight
// gradients as outer products (ger into zeroed buffers) and the SGD updates as axpy.
double w1_sample(bench::Uniform& uniform, std::size_t samples) {
  const int in = 784, hidden = 100, out = 10;
  auto w1 = matrix(hidden, in, uniform), w2 = matrix(out, hidden, uniform);
  const auto x = matrix(1, in, uniform), g2 = matrix(1, out, uniform), g1 = matrix(1, hidden, uniform);
  std::vector<float> h(hidden), y(out), dh(hidden), dw1(w1.size()), dw2(w2.size());
  return best_of(3, [&] {
           for (std::size_t s = 0; s < samples; ++s) {
             cblas_sgemv(CblasRowMajor, CblasNoTrans, hidden, in, 1.0f, w1.data(), in, x.data(), 1, 0.0f, h.data(), 1);
             cblas_sgemv(CblasRowMajor, CblasNoTrans, out, hidden, 1.0f, w2.data(), hidden, h.data(), 1, 0.0f, y.data(), 1);
             cblas_sgemv(CblasRowMajor, CblasTrans, out, hidden, 1.0f, w2.data(), hidden, g2.data(), 1, 0.0f, dh.data(), 1);
             std::fill(dw2.begin(), dw2.end(), 0.0f);
             cblas_sger(CblasRowMajor, out, hidden, 1.0f, g2.data(), 1, h.data(), 1, dw2.data(), hidden);
             std::fill(dw1.begin(), dw1.end(), 0.0f);
             cblas_sger(CblasRowMajor, hidden, in, 1.0f, g1.data(), 1, x.data(), 1, dw1.data(), in);
             cblas_saxpy(int(dw2.size()), -1e-9f, dw2.data(), 1, w2.data(), 1);
             cblas_saxpy(int(dw1.size()), -1e-9f, dw1.data(), 1, w1.data(), 1);
           }
         }) /
         double(samples);
}

// W2's layers as GEMMs over a batch of `n`: conv 1->64 k3 on 28x28 (taps 9, 26x26 out), conv
// 64->128 k3 on 13x13 (taps 576, 11x11 out), linear 15488->10; with `backward`, the weight
// gradients of all three and the input gradients of the second conv and the linear layer.
double w2_step(bench::Uniform& uniform, std::size_t n, bool backward) {
  const std::size_t c1 = 64, taps1 = 9, p1 = n * 26 * 26, c2 = 128, taps2 = 576, p2 = n * 11 * 11, flat = 15488;
  const auto w1 = matrix(c1, taps1, uniform), cols1 = matrix(taps1, p1, uniform), g1 = matrix(c1, p1, uniform);
  const auto w2 = matrix(c2, taps2, uniform), cols2 = matrix(taps2, p2, uniform), g2 = matrix(c2, p2, uniform);
  const auto w3 = matrix(10, flat, uniform), h = matrix(n, flat, uniform), g3 = matrix(n, 10, uniform);
  std::vector<float> y1(c1 * p1), y2(c2 * p2), y3(n * 10), dw1(w1.size()), dw2(w2.size()), dcols2(cols2.size()),
      dw3(w3.size()), dh(h.size());
  return best_of(3, [&] {
    gemm(false, false, c1, p1, taps1, w1, cols1, y1);
    gemm(false, false, c2, p2, taps2, w2, cols2, y2);
    gemm(false, true, n, 10, flat, h, w3, y3);
    if (!backward) return;
    gemm(true, false, 10, flat, n, g3, h, dw3);
    gemm(false, false, n, flat, 10, g3, w3, dh);
    gemm(false, true, c2, taps2, p2, g2, cols2, dw2);
    gemm(true, false, taps2, p2, c2, w2, g2, dcols2);
    gemm(false, true, c1, taps1, p1, g1, cols1, dw1);
  });
}

}  // namespace

int main(int argc, char** argv) try {
  const auto args = bench::parse_args(argc, argv, {{"samples", "10000"}});
  const int threads = int(args.count("threads"));
  tg::set_num_threads(threads);
  tg::detail::prepare_blas();  // the kernels tapegrad chooses
  bench::Uniform uniform(5);
  bench::report("W1_batch64", "bound", threads, {{"seconds_per_epoch", w1_epoch(uniform)}});
  // The tutorial's variant has no biases: the same calls, but for two axpy of 100 and 10.
  const double per_sample = w1_sample(uniform, args.count("samples")) * 1e6;
  bench::report("W1_per_sample", "bound", threads, {{"us_per_sample", per_sample}});
  bench::report("W1_per_sample_tutorial", "bound", threads, {{"us_per_sample", per_sample}});
  bench::report("W2_train_step", "bound", threads, {{"ms_per_step", w2_step(uniform, 64, true) * 1e3}});
  bench::report("W2_inference", "bound", threads, {{"ms_per_batch256", w2_step(uniform, 256, false) * 1e3}});
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bound_blas: %s\n", e.what());
  return 1;
}
