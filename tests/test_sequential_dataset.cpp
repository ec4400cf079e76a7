// SequentialDataSet as PyBrain's: sequences marked by new_sequence(), read back one by one, and
// padded batches with lengths that the recurrent layers treat as the sequences run alone.
#include <boost/test/unit_test.hpp>

#include <xtensor/xview.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::nn::SequentialDataSet;
using tg::testing::message_contains;

// Three sequences of 2, 3 and 1 steps; input t of sequence s is (10 s + t, -t), its target 10 s + t.
SequentialDataSet three_sequences() {
  SequentialDataSet ds(2, 1);
  for (int s = 0; s < 3; ++s) {
    ds.new_sequence();
    for (int t = 0; t < (s == 0 ? 2 : s == 1 ? 3 : 1); ++t)
      ds.add_sample(xt::xarray<float>{float(10 * s + t), float(-t)}, xt::xarray<float>{float(10 * s + t)});
  }
  return ds;
}

BOOST_AUTO_TEST_SUITE(sequential_dataset)

BOOST_AUTO_TEST_CASE(sequences_start_where_new_sequence_was_called) {
  const auto ds = three_sequences();
  BOOST_TEST(ds.size() == 6u);
  BOOST_TEST(ds.num_sequences() == 3u);
  BOOST_TEST(ds.sequence_length(1) == 3u);
  const auto second = ds.sequence(1);
  BOOST_TEST(second.inputs == (xt::xarray<float>{{10, 0}, {11, -1}, {12, -2}}));
  BOOST_TEST((second.targets.shape() == std::vector<std::size_t>{3, 1}));
  BOOST_TEST(xt::flatten(second.targets) == (xt::xarray<float>{10, 11, 12}));
  const auto all = ds.sequences();
  BOOST_TEST(all.size() == 3u);
  BOOST_TEST(all[2].inputs == (xt::xarray<float>{{20, 0}}));
  // The first samples form a sequence without new_sequence(), as in PyBrain.
  SequentialDataSet implicit(1, 1);
  implicit.add_sample(xt::xarray<float>{1}, xt::xarray<float>{1});
  BOOST_TEST(implicit.num_sequences() == 1u);
}

BOOST_AUTO_TEST_CASE(a_batch_is_padded_steps_first_with_lengths_and_mask) {
  const auto b = three_sequences().batch({2, 0});
  BOOST_TEST(b.lengths == (std::vector<std::size_t>{1, 2}));
  BOOST_TEST(b.inputs == (xt::xarray<float>{{{20, 0}, {0, 0}}, {{0, 0}, {1, -1}}}));
  BOOST_TEST((b.targets.shape() == std::vector<std::size_t>{2, 2, 1}));
  BOOST_TEST(xt::flatten(b.targets) == (xt::xarray<float>{20, 0, 0, 1}));
  BOOST_TEST((b.mask.shape() == std::vector<std::size_t>{2, 2, 1}));
  BOOST_TEST(xt::flatten(b.mask) == (xt::xarray<float>{1, 1, 0, 1}));
}

// A padded batch with lengths gives each sequence's outputs and final state as if run alone.
BOOST_AUTO_TEST_CASE(an_lstm_on_a_padded_batch_equals_each_sequence_alone) {
  const auto ds = three_sequences();
  const auto b = ds.batch({0, 1, 2});
  tg::nn::LSTM lstm(2, 3, {.bidirectional = true});
  const auto together = lstm.forward(tg::Tensor::from(b.inputs), {}, b.lengths);
  for (std::size_t s = 0; s < 3; ++s) {
    const auto seq = ds.sequence(s);
    const auto x = tg::Tensor::from(xt::xarray<float>(xt::expand_dims(seq.inputs, 1)));  // (steps, 1, 2)
    const auto alone = lstm.forward(x, {});
    const auto steps = seq.inputs.shape()[0];
    const xt::xarray<float> part = xt::view(together.output.value(), xt::range(0, steps), xt::range(s, s + 1));
    BOOST_TEST(xt::allclose(part, alone.output.value(), 1e-6, 1e-6));
    const xt::xarray<float> h = xt::view(together.state.h.value(), xt::all(), xt::range(s, s + 1));
    BOOST_TEST(xt::allclose(h, alone.state.h.value(), 1e-6, 1e-6));
    BOOST_TEST(xt::all(xt::equal(xt::view(together.output.value(), xt::range(steps, 3), s), 0.0f)));
  }
}

BOOST_AUTO_TEST_CASE(empty_sequences_and_unknown_indices_are_errors) {
  auto ds = three_sequences();
  ds.new_sequence();
  BOOST_CHECK_EXCEPTION(ds.new_sequence(), tg::Error,
                        message_contains({"SequentialDataSet::new_sequence: sequence 3 is empty"}));
  BOOST_TEST(ds.sequence_length(3) == 0u);  // the one just started
  BOOST_CHECK_EXCEPTION(ds.sequence(4), tg::Error, message_contains({"sequence 4 asked of 4 sequences"}));
  ds.clear();
  BOOST_TEST(ds.num_sequences() == 0u);
  ds.add_sample(xt::xarray<float>{1, 2}, xt::xarray<float>{3});
  BOOST_TEST(ds.num_sequences() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
