// SupervisedDataSet as PyBrain's, and the batch loader: order, shuffling, labels and errors.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/data_files.hpp"
#include "tests/error_message.hpp"

using tg::testing::message_contains;
using tg::testing::reshaped;

namespace {

std::vector<std::size_t> flat_indices(const xt::xarray<float>& values) {
  std::vector<std::size_t> out;
  for (float v : values) out.push_back(static_cast<std::size_t>(v));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(data)

BOOST_AUTO_TEST_CASE(supervised_dataset_like_pybrain) {
  tg::nn::SupervisedDataSet ds(2, 1);
  BOOST_TEST(ds.empty());
  ds.add_sample({0, 0}, {0});
  ds.add_sample({0, 1}, {1});
  ds.add_sample({1, 0}, {1});
  ds.add_sample(xt::xarray<float>{{1, 1}}, {0});  // any shape with input_dim values
  BOOST_TEST(ds.size() == 4u);
  BOOST_TEST(ds.input_dim() == 2u);
  BOOST_TEST(ds.target_dim() == 1u);
  BOOST_TEST(ds.inputs() == (xt::xarray<float>{{0, 0}, {0, 1}, {1, 0}, {1, 1}}));
  BOOST_TEST(ds.targets() == reshaped({0, 1, 1, 0}, {4, 1}));

  const auto third = ds.sample(2);
  BOOST_TEST(third.input == (xt::xarray<float>{1, 0}));
  BOOST_TEST(third.target == (xt::xarray<float>{1}));

  std::size_t seen = 0;
  for (const auto& [input, target] : ds) {
    BOOST_TEST(input.shape() == (tg::Shape{2}), boost::test_tools::per_element());
    BOOST_TEST(target(0) == static_cast<float>(static_cast<int>(input(0)) ^ static_cast<int>(input(1))));
    ++seen;
  }
  BOOST_TEST(seen == 4u);

  ds.clear();
  BOOST_TEST(ds.size() == 0u);
  BOOST_TEST(ds.inputs().shape() == (tg::Shape{0, 2}), boost::test_tools::per_element());
  BOOST_TEST((ds.begin() == ds.end()));
}

BOOST_AUTO_TEST_CASE(supervised_dataset_shape_errors) {
  tg::nn::SupervisedDataSet ds(2, 1);
  BOOST_CHECK_EXCEPTION(ds.add_sample({1, 2, 3}, {1}), tg::Error,
                        message_contains({"SupervisedDataSet::add_sample", "input has shape (3)", "input dimension is 2"}));
  BOOST_CHECK_EXCEPTION(ds.add_sample({1, 2}, xt::xarray<float>{{1, 0}}), tg::Error,
                        message_contains({"target has shape (1,2)", "target dimension is 1"}));
  BOOST_TEST(ds.size() == 0u);  // a rejected sample leaves nothing behind
  BOOST_CHECK_EXCEPTION(ds.sample(0), tg::Error, message_contains({"index 0 out of range for 0 samples"}));
}

BOOST_AUTO_TEST_CASE(loader_batches_in_order_without_shuffle) {
  xt::xarray<float> inputs = xt::arange<float>(10.0f);
  inputs.reshape({10, 1});
  const xt::xarray<float> targets = 2.0f * inputs;
  tg::nn::DataLoader loader(inputs, targets, {.batch_size = 4});
  BOOST_TEST(loader.size() == 10u);
  BOOST_TEST(loader.num_batches() == 3u);

  std::vector<std::size_t> sizes;
  std::vector<std::size_t> order;
  for (const auto& [x, y] : loader) {
    sizes.push_back(x.shape()[0]);
    BOOST_TEST(x.shape()[1] == 1u);
    BOOST_TEST(y.value() == 2.0f * x.value());
    BOOST_TEST(!x.requires_grad());
    for (auto i : flat_indices(x.value())) order.push_back(i);
  }
  BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4, 2}), boost::test_tools::per_element());
  BOOST_TEST(order == (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), boost::test_tools::per_element());

  tg::nn::DataLoader dropping(inputs, targets, {.batch_size = 4, .drop_last = true});
  BOOST_TEST(dropping.num_batches() == 2u);
  sizes.clear();
  for (const auto& batch : dropping) sizes.push_back(batch.inputs.shape()[0]);
  BOOST_TEST(sizes == (std::vector<std::size_t>{4, 4}), boost::test_tools::per_element());

  tg::nn::DataLoader exact(inputs, targets, {.batch_size = 5, .drop_last = true});
  BOOST_TEST(exact.num_batches() == 2u);
  tg::nn::DataLoader whole(inputs, targets, {.batch_size = 64});
  BOOST_TEST(whole.num_batches() == 1u);
  BOOST_TEST(whole.epoch(0).batch(0).inputs.value() == inputs);
  tg::nn::DataLoader too_few(inputs, targets, {.batch_size = 64, .drop_last = true});
  BOOST_TEST(too_few.num_batches() == 0u);
  BOOST_TEST((too_few.begin() == too_few.end()));
}

BOOST_AUTO_TEST_CASE(loader_with_labels_keeps_images_and_labels_together) {
  xt::xarray<float> images = xt::arange<float>(5 * 2 * 3);
  images.reshape({5, 2, 3});
  const tg::Labels labels{0, 1, 2, 3, 4};
  tg::nn::DataLoader loader(images, labels, {.batch_size = 2, .shuffle = true, .seed = 7});
  std::size_t seen = 0;
  for (const auto& [x, y] : loader) {
    BOOST_TEST(x.shape()[1] == 2u);
    BOOST_TEST(x.shape()[2] == 3u);
    BOOST_TEST(y.size() == x.shape()[0]);
    for (std::size_t i = 0; i < y.size(); ++i) BOOST_TEST(x.value()(i, 0, 0) == static_cast<float>(6 * y[i]));
    seen += y.size();
  }
  BOOST_TEST(seen == 5u);
}

BOOST_AUTO_TEST_CASE(shuffle_is_deterministic_and_covers_every_sample) {
  constexpr std::size_t n = 103;
  xt::xarray<float> inputs = xt::arange<float>(static_cast<float>(n));
  inputs.reshape({n, 1});
  tg::Labels labels(n, 0);
  const auto order_of = [](auto&& epoch) {
    std::vector<std::size_t> order;
    for (const auto& batch : epoch)
      for (auto i : flat_indices(batch.inputs.value())) order.push_back(i);
    return order;
  };

  tg::nn::DataLoader a(inputs, labels, {.batch_size = 10, .shuffle = true, .seed = 42});
  tg::nn::DataLoader b(inputs, labels, {.batch_size = 10, .shuffle = true, .seed = 42});
  tg::nn::DataLoader c(inputs, labels, {.batch_size = 10, .shuffle = true, .seed = 43});
  const auto a0 = order_of(a), a1 = order_of(a);  // iterating again runs the next epoch
  const auto b0 = order_of(b), b1 = order_of(b);
  BOOST_TEST(a0 == b0, boost::test_tools::per_element());
  BOOST_TEST(a1 == b1, boost::test_tools::per_element());
  BOOST_TEST((a0 != a1));
  BOOST_TEST((a0 != order_of(c)));
  BOOST_TEST(order_of(a.epoch(1)) == a1, boost::test_tools::per_element());
  BOOST_TEST(a.epoch(1).order() == a1, boost::test_tools::per_element());

  for (const auto& order : {a0, a1, order_of(c)}) {
    BOOST_TEST(order.size() == n);
    BOOST_TEST(std::set<std::size_t>(order.begin(), order.end()).size() == n);  // each exactly once
    BOOST_TEST(*std::max_element(order.begin(), order.end()) == n - 1);
  }

  // Pinned: the shuffle must give this order on every machine and library.
  BOOST_TEST(tg::nn::shuffled_indices(10, 42, 0) == (std::vector<std::size_t>{0, 6, 5, 1, 3, 9, 7, 8, 4, 2}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(uniform_below_is_uniform) {
  std::mt19937_64 gen(1);
  std::vector<int> counts(3, 0);
  for (int i = 0; i < 30000; ++i) ++counts[tg::nn::uniform_below(gen, 3)];
  for (int count : counts) BOOST_TEST(std::abs(count - 10000) < 400);
  BOOST_TEST(tg::nn::uniform_below(gen, 1) == 0u);
}

BOOST_AUTO_TEST_CASE(loader_errors) {
  const xt::xarray<float> inputs = xt::zeros<float>({10, 3});
  BOOST_CHECK_EXCEPTION(tg::nn::DataLoader(inputs, xt::xarray<float>(xt::zeros<float>({9, 1}))), tg::Error,
                        message_contains({"DataLoader", "inputs have shape (10,3) (10 samples) but targets have shape (9,1)"}));
  BOOST_CHECK_EXCEPTION(tg::nn::DataLoader(inputs, tg::Labels(11)), tg::Error,
                        message_contains({"(10 samples) but there are 11 labels"}));
  BOOST_CHECK_EXCEPTION(tg::nn::DataLoader(inputs, tg::Labels(10), {.batch_size = 0}), tg::Error,
                        message_contains({"batch_size must be at least 1"}));
  tg::nn::DataLoader loader(inputs, tg::Labels(10), {.batch_size = 4});
  BOOST_CHECK_EXCEPTION(loader.epoch(0).batch(3), tg::Error, message_contains({"batch 3 out of range for 3 batches"}));
}

BOOST_AUTO_TEST_SUITE_END()
