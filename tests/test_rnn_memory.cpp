// Long sequences through the tape: 10,000 steps backpropagate, through the layer's fused
// recurrence with the graph's memory linear in the length, and through 10,000 cells chained on
// the tape; truncated BPTT, carrying the state into the next chunk detached, frees each
// chunk's graph, so memory stays flat over 1,000 chunks. Memory is the C heap in use
// (tests/memory_in_use.hpp).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <memory>

#include "tapegrad.hpp"
#include "tests/memory_in_use.hpp"

namespace {

using tg::Tensor;
using tg::testing::heap_in_use;

// The heap a graph built by `build` holds while alive, and its output.
struct Graph {
  double bytes;
  Tensor loss;
};
Graph build_graph(const std::function<Tensor()>& build) {
  const double before = heap_in_use();
  Tensor loss = build();
  return {heap_in_use() - before, loss};
}

// bytes(n) for n = steps / 4, steps / 2, steps: doubling the length doubles the memory.
void expect_linear(const std::function<Graph(std::size_t)>& graph_of, std::size_t steps, const std::string& what) {
  const double quarter = graph_of(steps / 4).bytes, half = graph_of(steps / 2).bytes, full = graph_of(steps).bytes;
  BOOST_TEST_MESSAGE(what << ": " << quarter << ", " << half << ", " << full << " bytes");
  BOOST_TEST(half / quarter > 1.8);
  BOOST_TEST(half / quarter < 2.2);
  BOOST_TEST(full / half > 1.8);
  BOOST_TEST(full / half < 2.2);
}

BOOST_AUTO_TEST_SUITE(rnn_memory)

BOOST_AUTO_TEST_CASE(ten_thousand_steps_backpropagate_with_memory_linear_in_length) {
  tg::nn::manual_seed(1);
  tg::nn::LSTM lstm(4, 16);
  tg::Generator gen(1);
  const auto x = tg::uniform<float>({10000, 2, 4}, -1, 1, gen);
  auto layer_graph = [&](std::size_t steps) {
    const auto part = tg::slice(x, {tg::Slice{0, std::ptrdiff_t(steps)}});
    return build_graph([&] { return tg::sum(lstm.forward(part)); });
  };
  expect_linear(layer_graph, 10000, "LSTM layer");
  layer_graph(10000).loss.backward();
  for (const auto& p : lstm.parameters()) BOOST_TEST(xt::all(xt::isfinite(p.grad().value())));

  // The same length as 10,000 cells chained on the tape: ~60,000 nodes swept without recursion.
  const auto w = lstm.parameters();
  tg::nn::LSTMState state{tg::zeros<float>({2, 16}), tg::zeros<float>({2, 16})};
  for (std::size_t t = 0; t < 10000; ++t) {
    const auto xt = tg::reshape(tg::slice(x, {tg::Slice{std::ptrdiff_t(t), std::ptrdiff_t(t + 1)}}), {2, 4});
    state = tg::nn::lstm_cell(xt, state, w[0], w[1], w[2], w[3]);
  }
  lstm.zero_grad();
  tg::sum(state.h).backward();
  for (const auto& p : lstm.parameters()) BOOST_TEST(xt::all(xt::isfinite(p.grad().value())));
}

// Chunks of 10 steps with the state detached in between, trained with SGD: 1,000 of them.
BOOST_AUTO_TEST_CASE(truncated_bptt_frees_each_chunk_so_memory_stays_flat) {
  tg::nn::manual_seed(2);
  tg::nn::LSTM lstm(4, 16);
  tg::optim::SGD sgd(lstm.parameters(), {.lr = 0.01});
  tg::Generator gen(2);
  const auto x = tg::uniform<float>({10, 2, 4}, -1, 1, gen), y = tg::uniform<float>({10, 2, 16}, -1, 1, gen);
  tg::nn::LSTMState state;
  std::weak_ptr<tg::Node<float>> first_chunk;
  double after_warm_up = 0, one_chunk = 0;
  for (int chunk = 0; chunk < 1000; ++chunk) {
    const double before = heap_in_use();
    auto r = lstm.forward(x, state);
    if (chunk == 0) first_chunk = r.output.grad_fn();
    if (chunk == 50) one_chunk = heap_in_use() - before;
    sgd.zero_grad();
    tg::nn::mse_loss(r.output, y).backward();
    sgd.step();
    state = {r.state.h.detach(), r.state.c.detach()};
    if (chunk == 50) after_warm_up = heap_in_use();
  }
  BOOST_TEST(first_chunk.expired());
  const double growth = heap_in_use() - after_warm_up;
  BOOST_TEST_MESSAGE("one chunk's graph " << one_chunk << " bytes; growth over 950 chunks " << growth << " bytes");
  BOOST_TEST(one_chunk > 10000.0);
  BOOST_TEST(growth < one_chunk);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
