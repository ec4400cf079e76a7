// fit with .distributed on 2 (or more) ranks, against one process; part of test_dist, whose
// Context the cases here use.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tapegrad.hpp"
#include "tests/dist/replicas.hpp"
#include "tests/error_message.hpp"

namespace {

using namespace tg::testing;

// 50 samples of 4 features in 3 classes; the classes follow the features, so accuracy moves.
tg::nn::Data three_classes() {
  auto x = wave(0, 50, 4, 0.3);
  tg::Labels y(50);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = x(i, 0) + x(i, 1) > 0.5f ? 2 : x(i, 2) > 0 ? 1 : 0;
  return {std::move(x), std::move(y)};
}

tg::Tensor cross_entropy(const tg::Tensor& logits, const tg::Labels& y) { return tg::nn::cross_entropy(logits, y); }

// 40 training samples in batches of 7: the last batch has 5 rows, 2 and 3 on two ranks.
tg::nn::FitOptions options(bool distributed, std::size_t epochs) {
  return {.epochs = epochs,
          .batch_size = 7,
          .seed = 5,
          .validation_split = 0.2,
          .metrics = {"accuracy"},
          .verbosity = tg::nn::Verbosity::Silent,
          .distributed = distributed};
}

tg::nn::History train(tg::nn::Sequential& net, tg::nn::FitOptions fit_options) {
  tg::optim::SGD sgd(net.parameters(), {.lr = 0.2, .momentum = 0.9});
  return tg::nn::fit(net, cross_entropy, sgd, three_classes(), fit_options);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dist_fit)

BOOST_AUTO_TEST_CASE(distributed_fit_has_the_history_of_one_process) {
  auto alone = small_net(11), together = small_net(11);
  const auto expected = train(alone, options(false, 4));  // one process: this rank by itself
  const auto history = train(together, options(true, 4));
  for (const std::string key : {"loss", "accuracy", "val_loss", "val_accuracy"}) {
    BOOST_TEST_CONTEXT(key) {
      BOOST_TEST(history.values(key) == expected.values(key), boost::test_tools::tolerance(1e-5)
                                                                  << boost::test_tools::per_element());
    }
  }
  BOOST_TEST(expected.values("loss").front() > expected.values("loss").back());  // it trained
  BOOST_TEST(max_difference(together, alone) <= 1e-5f);
  BOOST_TEST(same_on_every_rank(together));
}

BOOST_AUTO_TEST_CASE(distributed_fit_accumulating_gradients_has_the_history_of_one_process) {
  // Steps of two batches of 7; the epoch's last step is one batch of 5.
  auto alone = small_net(14), together = small_net(14);
  auto one = options(false, 3), all = options(true, 3);
  one.accumulation_steps = all.accumulation_steps = 2;
  const auto expected = train(alone, one);
  const auto history = train(together, all);
  BOOST_TEST(history.values("loss") == expected.values("loss"), boost::test_tools::tolerance(1e-5)
                                                                    << boost::test_tools::per_element());
  BOOST_TEST(max_difference(together, alone) <= 1e-5f);
  BOOST_TEST(same_on_every_rank(together));
}

BOOST_AUTO_TEST_CASE(resuming_on_every_rank_from_rank_0_s_checkpoint_is_bitwise_uninterrupted) {
  const std::string file = "test_dist_fit_resume.safetensors";
  auto uninterrupted = small_net(12);
  train(uninterrupted, options(true, 4));

  auto first = small_net(12);
  tg::optim::SGD sgd(first.parameters(), {.lr = 0.2, .momentum = 0.9});
  auto first_half = options(true, 2);
  // Only rank 0 may write: any other rank would fail on a folder that does not exist.
  first_half.callbacks = {std::make_shared<tg::nn::Checkpoint>(rank() == 0 ? file : "no_such_folder/x.safetensors")};
  tg::nn::fit(first, cross_entropy, sgd, three_classes(), first_half);

  auto resumed = small_net(99);  // other weights: the checkpoint must replace them all
  tg::optim::SGD resumed_sgd(resumed.parameters(), {.lr = 0.2, .momentum = 0.9});
  const auto info = tg::nn::load_checkpoint(file, resumed, resumed_sgd);
  BOOST_TEST(info.epoch == 2u);
  auto second_half = options(true, 4);
  second_half.initial_epoch = info.epoch;
  tg::nn::fit(resumed, cross_entropy, resumed_sgd, three_classes(), second_half);
  BOOST_TEST(max_difference(resumed, uninterrupted) == 0.0f);
  tg::dist::barrier();  // every rank has read the file
  if (rank() == 0) std::remove(file.c_str());
}

BOOST_AUTO_TEST_CASE(ranks_given_different_seeds_are_refused) {
  auto net = small_net(13);
  auto fit_options = options(true, 1);
  fit_options.seed = 5 + std::uint64_t(rank());
  BOOST_CHECK_EXCEPTION(train(net, fit_options), tg::Error,
                        message_contains({"fit: the seed (low 32 bits) differs between the ranks: from 5 to " +
                                          std::to_string(4 + ranks())}));
}

BOOST_AUTO_TEST_CASE(a_double_model_is_refused) {
  tg::nn::BasicSequential<double> net(tg::nn::BasicLinear<double>(4, 3));
  tg::optim::SGD sgd(net.parameters(), {.lr = 0.1});
  BOOST_CHECK_EXCEPTION(
      tg::nn::fit(net, tg::nn::CrossEntropyLoss{}, sgd, three_classes(), options(true, 1)), tg::Error,
      message_contains({"fit: distributed training takes float models; this one computes in double"}));
}

BOOST_AUTO_TEST_SUITE_END()
