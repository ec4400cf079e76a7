#pragma once
// What the workload programs share, tapegrad's and libtorch's alike, so it includes neither
// library: the clock, the RESULT line scripts/bench.sh reads (with the peak memory), MNIST as
// plain arrays, and the synthetic data of W3 and W4, drawn the same way on both sides.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench/memory.hpp"
#include "examples/cli.hpp"

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One measurement, e.g. "RESULT name=W1_batch64 impl=tapegrad threads=1 seconds_per_epoch=0.83 test_accuracy=0.91
// peak_mib=412". The first metric is the one compared across implementations; the others are
// context. peak_mib, the resident memory peak since the workload's reset_peak_memory() (data
// included), is added when the metrics do not give it.
using Metrics = std::vector<std::pair<std::string, double>>;

inline void report(const std::string& name, const std::string& impl, int threads, const Metrics& metrics) {
  std::printf("RESULT name=%s impl=%s threads=%d", name.c_str(), impl.c_str(), threads);
  bool peak_given = false;
  for (const auto& [key, value] : metrics) {
    std::printf(" %s=%.6g", key.c_str(), value);
    peak_given = peak_given || key == "peak_mib";
  }
  if (!peak_given) std::printf(" peak_mib=%.6g", peak_memory_mib());
  std::printf("\n");
  std::fflush(stdout);
}

// Images scaled to [0, 1], row after row of 784 pixels, and their labels.
struct Mnist {
  std::vector<float> images;
  std::vector<std::int64_t> labels;
  std::size_t count = 0;
  static constexpr std::size_t pixels = 28 * 28;
};

namespace detail {

inline std::uint32_t read_big_endian(std::ifstream& in, const std::string& path) {
  unsigned char b[4];
  if (!in.read(reinterpret_cast<char*>(b), 4)) throw std::runtime_error(path + ": truncated header");
  return std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | b[3];
}

inline std::vector<unsigned char> read_idx(const std::string& path, std::uint32_t magic, std::size_t item_size,
                                           std::size_t& count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open (run scripts/fetch_mnist.sh)");
  if (read_big_endian(in, path) != magic) throw std::runtime_error(path + ": not an IDX file of the expected kind");
  count = read_big_endian(in, path);
  std::size_t item_elements = 1;  // the sizes of the other axes (the low byte of magic counts the axes)
  for (std::uint32_t axis = 1; axis < (magic & 0xff); ++axis) item_elements *= read_big_endian(in, path);
  if (item_elements != item_size) throw std::runtime_error(path + ": items are not of the expected size");
  std::vector<unsigned char> bytes(count * item_size);
  if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size())))
    throw std::runtime_error(path + ": truncated data");
  return bytes;
}

}  // namespace detail

// <dir>/<split>-images-idx3-ubyte and <dir>/<split>-labels-idx1-ubyte, uncompressed, as
// scripts/fetch_mnist.sh leaves them; `split` is "train" or "t10k".
inline Mnist read_mnist(const std::string& dir, const std::string& split) {
  Mnist set;
  std::size_t label_count = 0;
  const auto pixels = detail::read_idx(dir + "/" + split + "-images-idx3-ubyte", 0x803, Mnist::pixels, set.count);
  const auto labels = detail::read_idx(dir + "/" + split + "-labels-idx1-ubyte", 0x801, 1, label_count);
  if (label_count != set.count) throw std::runtime_error(dir + ": " + split + " images and labels differ in number");
  set.images.assign(pixels.begin(), pixels.end());
  for (float& p : set.images) p /= 255.0f;
  set.labels.assign(labels.begin(), labels.end());
  return set;
}

// Uniform numbers in [lo, hi) that are the same on every machine and for every library.
class Uniform {
 public:
  explicit Uniform(std::uint64_t seed) : engine_(seed) {}
  double operator()(double lo, double hi) { return lo + (hi - lo) * double(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

// W3's regression task: points in [-1, 1]^2 and the target sin(3 x0) x1, one row per step.
struct Regression {
  std::vector<float> inputs;   // count x 2
  std::vector<float> targets;  // count
};

inline Regression regression_data(std::size_t count, std::uint64_t seed = 3) {
  Uniform uniform(seed);
  Regression data;
  for (std::size_t i = 0; i < count; ++i) {
    const double x0 = uniform(-1, 1), x1 = uniform(-1, 1);
    data.inputs.insert(data.inputs.end(), {float(x0), float(x1)});
    data.targets.push_back(float(std::sin(3 * x0) * x1));
  }
  return data;
}

// W4: "a neural network in 11 lines", XOR of the first two inputs; the third is a bias input.
inline const std::vector<double> xor_inputs = {0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1};  // 4 x 3
inline const std::vector<double> xor_targets = {0, 1, 1, 0};                         // 4 x 1

// Starting weights drawn as the tutorial does, 2 U[0, 1) - 1, from a seeded generator.
inline std::vector<double> xor_weights(std::size_t count, Uniform& uniform) {
  std::vector<double> w(count);
  for (double& v : w) v = uniform(-1, 1);
  return w;
}

// The options of a workload program: its own and --threads N.
inline examples::Args parse_args(int argc, char** argv, std::map<std::string, std::string> own) {
  own.emplace("threads", "1");
  return examples::Args(argc, argv, std::move(own));
}

}  // namespace bench
