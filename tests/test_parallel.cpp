// The pool that runs im2col, col2im and pooling on tg::set_num_threads threads: every index
// once, errors carried back, nested and concurrent calls; and im2col, col2im and pooling that
// give the same bits on 2 and 3 threads as on one.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "ops/cpu/parallel.hpp"
#include "tapegrad.hpp"

namespace {

using tg::detail::parallel_for;

// Restores the thread count a test changed.
struct Threads {
  explicit Threads(int n) : before(tg::num_threads()) { tg::set_num_threads(n); }
  ~Threads() { tg::set_num_threads(before); }
  int before;
};

// How many times each index was visited and by how many distinct threads.
struct Visits {
  explicit Visits(std::size_t n) : counts(n) {}
  void operator()(std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) ++counts[i];
    const std::lock_guard lock(mutex);
    threads.insert(std::this_thread::get_id());
  }
  std::vector<std::atomic<int>> counts;
  std::mutex mutex;
  std::set<std::thread::id> threads;
};

constexpr std::size_t heavy = tg::detail::parallel_grain;  // one item is enough to share out

// The passes that run on the pool, with a W2-like geometry: im2col and col2im of a batch, max
// pooling and its gradient; and a convolution with every gradient (its products are BLAS's).
struct Results {
  xt::xarray<float> cols, image, pooled, pooled_grad, conv, conv_gx, conv_gw, conv_gb;
};

Results run_passes() {
  tg::Generator gen(3);
  const auto x = tg::randn<float>({8, 16, 32, 32}, gen, true);  // large enough to be shared out
  const tg::Window2d window{.kernel = {3, 3}, .padding = {1, 1}};
  Results r;
  const auto cols = tg::im2col(x.detach(), window);
  r.cols = cols.value();
  r.image = tg::col2im(cols, window, x.shape()).value();
  const auto pooled = tg::max_pool2d(x, {.kernel = {2, 2}});
  tg::sum(pooled * pooled).backward();
  r.pooled = pooled.value();
  r.pooled_grad = x.grad().value();

  const auto xc = tg::randn<float>({8, 3, 20, 20}, gen, true);
  const auto w = tg::randn<float>({16, 3, 3, 3}, gen, true);
  const auto b = tg::randn<float>({16}, gen, true);
  const auto y = tg::conv2d(xc, w, b, {.padding = {1, 1}});
  tg::sum(y * y).backward();
  r.conv = y.value();
  r.conv_gx = xc.grad().value();
  r.conv_gw = w.grad().value();
  r.conv_gb = b.grad().value();
  return r;
}

bool close(const xt::xarray<float>& a, const xt::xarray<float>& b) {
  return a.shape() == b.shape() && xt::allclose(a, b, 1e-5, 1e-5);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parallel)

BOOST_AUTO_TEST_CASE(every_index_once_on_each_thread_count) {
  for (int threads : {1, 2, 3, 4}) {
    const Threads set(threads);
    for (std::size_t count : {1, 2, 3, 7, 64, 1000}) {
      Visits visits(count);
      parallel_for(count, heavy, std::ref(visits));
      for (std::size_t i = 0; i < count; ++i) BOOST_TEST(visits.counts[i] == 1, "index " << i << " of " << count);
      const std::size_t expected = std::min<std::size_t>(threads, count);
      BOOST_TEST(visits.threads.size() == expected, threads << " threads, " << count << " items");
    }
  }
}

BOOST_AUTO_TEST_CASE(small_work_stays_on_the_calling_thread) {
  const Threads set(4);
  Visits visits(1000);
  int calls = 0;
  parallel_for(1000, 1, [&](std::size_t begin, std::size_t end) {
    ++calls;
    visits(begin, end);
  });
  BOOST_TEST(calls == 1);
  BOOST_TEST(visits.threads == std::set{std::this_thread::get_id()});
  parallel_for(0, heavy, [&](std::size_t, std::size_t) { ++calls; });
  BOOST_TEST(calls == 1);  // nothing to do: never called
}

BOOST_AUTO_TEST_CASE(an_exception_comes_back_after_every_range_finished) {
  const Threads set(3);
  std::atomic<int> finished = 0;
  const auto failing = [&](std::size_t begin, std::size_t) {
    if (begin == 0) throw std::runtime_error("range 0 failed");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ++finished;
  };
  BOOST_CHECK_EXCEPTION(parallel_for(3, heavy, failing), std::runtime_error,
                        [](const std::runtime_error& e) { return std::string(e.what()) == "range 0 failed"; });
  BOOST_TEST(finished == 2);
  Visits visits(10);  // the pool works on afterwards
  parallel_for(10, heavy, std::ref(visits));
  for (auto& count : visits.counts) BOOST_TEST(count == 1);
}

BOOST_AUTO_TEST_CASE(nested_and_concurrent_calls_complete) {
  const Threads set(2);
  std::atomic<int> inner = 0;
  parallel_for(4, heavy, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      parallel_for(5, heavy, [&](std::size_t b, std::size_t e) { inner += static_cast<int>(e - b); });
  });
  BOOST_TEST(inner == 20);

  std::vector<std::unique_ptr<Visits>> visits;
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t) visits.push_back(std::make_unique<Visits>(100));
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) parallel_for(2, heavy, [&](std::size_t b, std::size_t e) {
          (*visits[t])(b * 50, e * 50);
        });
    });
  for (std::thread& caller : callers) caller.join();
  for (const auto& v : visits)
    for (auto& count : v->counts) BOOST_TEST(count == 50);
}

BOOST_AUTO_TEST_CASE(passes_give_the_same_bits_on_any_thread_count) {
  const Results one = [] {
    const Threads set(1);
    return run_passes();
  }();
  for (int threads : {2, 3}) {
    const Threads set(threads);
    const Results many = run_passes();
    BOOST_TEST((many.cols == one.cols), "im2col on " << threads << " threads");
    BOOST_TEST((many.image == one.image), "col2im on " << threads << " threads");
    BOOST_TEST((many.pooled == one.pooled), "max_pool2d on " << threads << " threads");
    BOOST_TEST((many.pooled_grad == one.pooled_grad), "max_pool2d's gradient on " << threads << " threads");
    // BLAS may split its sums differently with more threads: equal up to rounding.
    BOOST_TEST(close(many.conv, one.conv), "conv2d on " << threads << " threads");
    BOOST_TEST(close(many.conv_gx, one.conv_gx), "conv2d's input gradient on " << threads << " threads");
    BOOST_TEST(close(many.conv_gw, one.conv_gw), "conv2d's weight gradient on " << threads << " threads");
    BOOST_TEST(close(many.conv_gb, one.conv_gb), "conv2d's bias gradient on " << threads << " threads");
  }
}

BOOST_AUTO_TEST_SUITE_END()
