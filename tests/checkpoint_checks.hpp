#pragma once
// What the checkpoint tests share: a scratch directory, a small model trained a few steps, and
// bitwise comparisons of weights, optimizer states and generators.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <cstring>
#include <string>

#include "tapegrad.hpp"
#include "tests/temp_dir.hpp"

namespace tg::testing::checkpoint_checks {

// A fresh directory for one test's files, removed afterwards.
struct TempDir : tg::testing::TempDir {
  TempDir() : tg::testing::TempDir("tapegrad_checkpoint") {}
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

inline std::uint64_t header_length(const std::string& bytes) {
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return n;
}

inline bool same_bits(const xt::xarray<float>& a, const xt::xarray<float>& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

inline void expect_same(const nn::StateDict& a, const nn::StateDict& b) {
  BOOST_TEST(a.keys() == b.keys(), boost::test_tools::per_element());
  for (const auto& [name, value] : a)
    if (b.contains(name)) BOOST_TEST(same_bits(value, b.at(name)), name << " differs");
}

inline void expect_same(const optim::OptimizerState& a, const optim::OptimizerState& b) {
  BOOST_TEST(a.lrs == b.lrs, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(a.params.size() == b.params.size());
  for (const auto& [position, state] : a.params) {
    BOOST_TEST_REQUIRE(b.params.count(position) == 1u);
    const auto& other = b.params.at(position);
    BOOST_TEST(state.step == other.step);
    BOOST_TEST_REQUIRE(state.buffers.size() == other.buffers.size());
    for (const auto& [name, buffer] : state.buffers)
      BOOST_TEST(same_bits(buffer, other.buffers.at(name)), "buffer " << name << " of " << position << " differs");
  }
}

inline nn::Sequential small_model() {
  return nn::Sequential(nn::Linear(3, 4), nn::Tanh(), nn::Dropout(0.5), nn::Linear(4, 2));
}

// A few optimizer steps on fixed data, so that weights, moments, steps and the dropout generator move.
inline void train_steps(nn::Module& model, optim::Optimizer& optimizer, int steps) {
  tg::Generator gen(11);
  const auto x = tg::randn<float>({5, 3}, gen), t = tg::randn<float>({5, 2}, gen);
  for (int i = 0; i < steps; ++i) {
    const auto loss = nn::mse_loss(model(x), t);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
}

// Everything a checkpoint restores, to compare before and after.
struct Snapshot {
  nn::StateDict weights;
  optim::OptimizerState optimizer;
  std::string generator, dropout;

  Snapshot(const nn::Sequential& model, const optim::Optimizer& opt)
      : weights(model.state_dict()), optimizer(opt.state()), generator(nn::default_generator().state()),
        dropout(model[2]->extra_state()) {}
  void expect_equal(const Snapshot& other) const {
    expect_same(weights, other.weights);
    expect_same(optimizer, other.optimizer);
    BOOST_TEST(generator == other.generator);
    BOOST_TEST(dropout == other.dropout);
  }
};

}  // namespace tg::testing::checkpoint_checks
