// tg::dist on real MPI processes: run by tests/dist/mpirun.sh with 2 (or more) ranks. Every rank
// runs every case in the same order, since each case's collectives pair up across the ranks.
// Rank 0 reports in TAP on standard output; the others report on standard error.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <xtensor/xview.hpp>

#include "nn/train/process_group.hpp"
#include "tapegrad.hpp"
#include "tests/dist/replicas.hpp"
#include "tests/error_message.hpp"

namespace {

namespace ut = boost::unit_test;
using namespace tg::testing;

struct MpiContext {
  MpiContext() : context(ut::framework::master_test_suite().argc, ut::framework::master_test_suite().argv) {
    if (tg::dist::rank() != 0) ut::unit_test_log.set_stream(std::cerr);
  }
  tg::dist::Context context;
};

// Three parameters: `a` reached on every rank, `b` on rank 0 only, `c` on none.
struct PartlyUsed : tg::nn::Module {
  tg::Tensor a = register_parameter("a", tg::Tensor::from(xt::xarray<float>{1.0f, 2.0f}));
  tg::Tensor b = register_parameter("b", tg::Tensor::from(xt::xarray<float>{3.0f}));
  tg::Tensor c = register_parameter("c", tg::Tensor::from(xt::xarray<float>{4.0f}));
  tg::Tensor forward(const tg::Tensor& x) override { return x; }
  tg::Tensor loss() {
    tg::Tensor l = tg::sum(a * float(rank() + 1));
    return rank() == 0 ? l + tg::sum(b * b) : l;
  }
};

using MakeOptimizer = std::function<std::unique_ptr<tg::optim::Optimizer>(std::vector<tg::Tensor>)>;

// Ten steps on this rank's rows of each batch, the gradients averaged as `averaging` says
// ("after backward" or "buckets"), against one model trained here on the whole batches.
void check_same_as_one_process(const MakeOptimizer& make, const std::string& averaging,
                               const std::vector<std::size_t>& batch_sizes) {
  auto net = small_net(3), whole = small_net(3);
  auto optimizer = make(net.parameters()), whole_optimizer = make(whole.parameters());
  std::unique_ptr<tg::dist::GradientBuckets> buckets;
  if (averaging == "buckets")
    buckets = std::make_unique<tg::dist::GradientBuckets>(net, tg::dist::BucketOptions{.bucket_bytes = 64});
  for (std::size_t step = 0; step < 10; ++step) {
    const std::size_t rows = batch_sizes[step % batch_sizes.size()];
    const auto x = wave(step, rows, 4, 0.0), y = wave(step, rows, 3, 1.0);
    whole_optimizer->zero_grad();
    tg::nn::mse_loss(whole(tg::Tensor::from(x)), tg::Tensor::from(y)).backward();
    whole_optimizer->step();

    const auto mine = shard(rows, rank(), ranks());
    optimizer->zero_grad();
    if (buckets) buckets->set_weight(double(mine.second - mine.first) / double(rows));
    if (mine.second > mine.first)
      tg::nn::mse_loss(net(tg::Tensor::from(rows_of(x, mine))), tg::Tensor::from(rows_of(y, mine))).backward();
    if (buckets)
      buckets->synchronize();
    else
      tg::dist::average_gradients(net);
    optimizer->step();
  }
  BOOST_TEST(max_difference(net, whole) <= 1e-5f);
  BOOST_TEST(same_on_every_rank(net));
}

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(MpiContext);

BOOST_AUTO_TEST_SUITE(dist)

BOOST_AUTO_TEST_CASE(runs_on_several_ranks) {
  BOOST_REQUIRE(ranks() >= 2);
  BOOST_TEST(rank() < ranks());
}

BOOST_AUTO_TEST_CASE(all_reduce_sums_every_rank_s_values) {
  const float r = float(rank() + 1), n = float(ranks());
  tg::Tensor x = tg::Tensor::from(xt::xarray<float>{{r, -2 * r}, {0.5f, 0.0f}});
  tg::dist::all_reduce(x);
  const float triangle = n * (n + 1) / 2;  // 1 + 2 + ... + n
  BOOST_TEST(x.value() == (xt::xarray<float>{{triangle, -2 * triangle}, {0.5f * n, 0.0f}}));
  tg::TensorD d = tg::TensorD::from(xt::xarray<double>{1e-300 * (rank() + 1)});
  tg::dist::all_reduce(d);
  BOOST_TEST(d.item() == 1e-300 * triangle);
}

BOOST_AUTO_TEST_CASE(all_reduce_of_a_parameter_needs_no_guard) {
  tg::Tensor p = tg::Tensor::from(xt::xarray<float>{1.0f}, true);
  tg::dist::all_reduce(p);
  BOOST_TEST(p.item() == float(ranks()));
}

BOOST_AUTO_TEST_CASE(all_reduce_of_different_sizes_is_refused) {
  tg::Tensor x = tg::Tensor::from(rank() == 0 ? xt::xarray<float>{1, 2, 3} : xt::xarray<float>{1, 2, 3, 4});
  BOOST_CHECK_EXCEPTION(
      tg::dist::all_reduce(x), tg::Error,
      message_contains({"dist::all_reduce: the ranks' tensors differ in size (from 3 to 4 elements"}));
  BOOST_TEST(x.value()(0) == 1.0f);  // unchanged
}

BOOST_AUTO_TEST_CASE(broadcast_gives_every_rank_the_root_s_values) {
  for (int root = 0; root < ranks(); ++root) {
    tg::Tensor x = tg::Tensor::from(xt::xarray<float>{10.0f * rank(), 1.0f + rank()});
    tg::dist::broadcast(x, root);
    BOOST_TEST(x.value() == (xt::xarray<float>{10.0f * root, 1.0f + root}));
  }
  tg::TensorD fresh;  // undefined except on the root: receives the root's shape too
  if (rank() == 1) fresh = tg::TensorD::from(xt::xarray<double>{{1.5, 2.5, 3.5}});
  tg::dist::broadcast(fresh, 1);
  BOOST_TEST(fresh.value() == (xt::xarray<double>{{1.5, 2.5, 3.5}}));
}

BOOST_AUTO_TEST_CASE(broadcast_into_another_shape_is_refused) {
  tg::Tensor x = tg::Tensor::from(rank() == 1 ? xt::xarray<float>{{1, 2}} : xt::xarray<float>{1, 2});
  BOOST_CHECK_EXCEPTION(tg::dist::broadcast(x, 0), tg::Error,
                        message_contains({"dist::broadcast: rank 1's tensor differs in shape from root 0's (2)"}));
  BOOST_CHECK_EXCEPTION(tg::dist::broadcast(x, ranks()), tg::Error,
                        message_contains({"dist::broadcast: root " + std::to_string(ranks()) + " is not a rank"}));
}

BOOST_AUTO_TEST_CASE(broadcast_parameters_gives_every_rank_rank_0_s_model) {
  auto net = small_net(100 + std::uint64_t(rank()));  // different weights on every rank
  tg::dist::broadcast_parameters(net);
  BOOST_TEST(max_difference(net, small_net(100)) == 0.0f);  // rank 0's weights, drawn here again
}

BOOST_AUTO_TEST_CASE(broadcast_parameters_names_a_parameter_whose_shape_differs) {
  tg::nn::manual_seed(1);
  tg::nn::Sequential net(tg::nn::Linear(3, 4), tg::nn::Tanh(), tg::nn::Linear(4, rank() == 1 ? 5 : 2));
  const auto before = net.parameters()[0].value();
  BOOST_CHECK_EXCEPTION(tg::dist::broadcast_parameters(net), tg::Error,
                        message_contains({"dist::broadcast_parameters: the models differ: entry 2 is parameter "
                                          "'2.weight' (2,4) on rank 0 but parameter '2.weight' (5,4) on rank 1"}));
  BOOST_TEST(net.parameters()[0].value() == before);  // nothing was copied

  tg::nn::Sequential shorter(tg::nn::Linear(3, 4));
  tg::nn::Sequential& model = rank() == 1 ? shorter : net;
  BOOST_CHECK_EXCEPTION(tg::dist::broadcast_parameters(model), tg::Error,
                        message_contains({"rank 0 has 4 parameters and buffers, rank 1 has 2"}));
}

BOOST_AUTO_TEST_CASE(average_gradients_averages_and_keeps_missing_gradients_missing) {
  PartlyUsed model;
  model.loss().backward();
  tg::dist::average_gradients(model);
  const float n = float(ranks());
  // d/da of sum(a * (r + 1)) is r + 1: the mean over ranks is (n + 1) / 2.
  BOOST_TEST(model.a.grad().value() == (xt::xarray<float>{(n + 1) / 2, (n + 1) / 2}));
  BOOST_TEST(model.b.grad().item() == 2 * 3.0f / n);  // 2b on rank 0, nothing elsewhere
  BOOST_TEST(!model.c.grad().defined());
}

BOOST_AUTO_TEST_CASE(buckets_start_while_backward_goes_on) {
  auto net = small_net(5);
  // The first layer's weight is the last gradient backward finishes: when it is final (this
  // hook runs before the buckets' own), the buckets of the three others have started.
  std::unique_ptr<tg::dist::GradientBuckets> buckets;
  std::size_t started_before_first_weight = 99;
  net.parameters()[0].register_post_accumulate_grad_hook(
      [&](const tg::Tensor&) { started_before_first_weight = buckets->started_buckets(); });
  buckets = std::make_unique<tg::dist::GradientBuckets>(net, tg::dist::BucketOptions{.bucket_bytes = 1});
  BOOST_REQUIRE(buckets->bucket_count() == 4u);  // one parameter each
  const auto x = wave(0, 6, 4, 0.0), y = wave(0, 6, 3, 1.0);
  tg::nn::mse_loss(net(tg::Tensor::from(x)), tg::Tensor::from(y)).backward();
  BOOST_TEST(started_before_first_weight == 3u);
  BOOST_TEST(buckets->started_buckets() == 4u);
  buckets->synchronize();
  BOOST_TEST(buckets->started_buckets() == 0u);
}

BOOST_AUTO_TEST_CASE(buckets_wait_in_order_for_a_gradient_backward_did_not_reach) {
  PartlyUsed model;  // buckets in reverse order: c, b, a; c is never reached
  tg::dist::GradientBuckets buckets(model, {.bucket_bytes = 1});
  model.loss().backward();
  BOOST_TEST(buckets.started_buckets() == 0u);  // c's bucket goes first, so nothing may start
  buckets.synchronize();
  const float n = float(ranks());
  BOOST_TEST(model.a.grad().value() == (xt::xarray<float>{(n + 1) / 2, (n + 1) / 2}));
  BOOST_TEST(model.b.grad().item() == 2 * 3.0f / n);
  BOOST_TEST(!model.c.grad().defined());
}

BOOST_AUTO_TEST_CASE(a_second_backward_before_synchronize_is_refused) {
  auto net = small_net(5);
  tg::dist::GradientBuckets buckets(net);
  const auto x = tg::Tensor::from(wave(0, 2, 4, 0.0));
  tg::sum(net(x)).backward();
  BOOST_CHECK_EXCEPTION(
      tg::sum(net(x)).backward(), tg::Error,
      message_contains({"GradientBuckets: a second backward() reached a parameter before synchronize()"}));
  buckets.synchronize();
}

BOOST_AUTO_TEST_CASE(sgd_on_half_batches_equals_one_process_on_whole_batches) {
  const MakeOptimizer sgd = [](std::vector<tg::Tensor> p) {
    return std::make_unique<tg::optim::SGD>(std::move(p), tg::optim::SGDOptions{.lr = 0.1, .momentum = 0.9});
  };
  check_same_as_one_process(sgd, "after backward", {8});
  check_same_as_one_process(sgd, "buckets", {8, 7, 1});  // uneven shards; batch 1 leaves a rank nothing
}

BOOST_AUTO_TEST_CASE(adam_on_half_batches_equals_one_process_on_whole_batches) {
  const MakeOptimizer adam = [](std::vector<tg::Tensor> p) {
    return std::make_unique<tg::optim::Adam>(std::move(p), tg::optim::AdamOptions{.lr = 1e-2});
  };
  check_same_as_one_process(adam, "after backward", {8});
  check_same_as_one_process(adam, "buckets", {8, 7, 1});
}

BOOST_AUTO_TEST_CASE(fit_sees_the_processes_through_the_process_group) {
  tg::nn::ProcessGroup* group = tg::nn::process_group();
  BOOST_REQUIRE(group != nullptr);
  BOOST_TEST(group->rank() == rank());
  BOOST_TEST(group->size() == ranks());
  std::vector<double> tallies = {1.5, double(rank())};
  group->sum(tallies);
  BOOST_TEST(tallies == (std::vector<double>{1.5 * ranks(), ranks() * (ranks() - 1) / 2.0}));
  group->check_same({{"batch size", 32}, {"seed", 7}}, "fit");
  BOOST_CHECK_EXCEPTION(group->check_same({{"batch size", 32}, {"seed", double(rank())}}, "fit"), tg::Error,
                        message_contains({"fit: the seed differs between the ranks: from 0 to " +
                                          std::to_string(ranks() - 1)}));
}

BOOST_AUTO_TEST_SUITE_END()
