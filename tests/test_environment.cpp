// The arithmetic's environment: which OpenBLAS kernels run, its thread count, subnormal flushing.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <limits>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

BOOST_AUTO_TEST_SUITE(environment)

BOOST_AUTO_TEST_CASE(blas_runs_the_kernels_the_cpu_supports) {
  const std::string kernels = tg::blas_kernels();
  BOOST_TEST(!kernels.empty());
  // Where the user chose no kernels, OpenBLAS's SSE3 fallback is replaced on AVX2/AVX-512 CPUs.
  __builtin_cpu_init();
  if (std::getenv("OPENBLAS_CORETYPE") == nullptr && __builtin_cpu_supports("avx2"))
    BOOST_TEST(kernels != "Prescott");
  // And they compute: a product checked by hand.
  const auto c = tg::matmul(tg::Tensor::from(xt::xarray<float>{{1, 2}, {3, 4}}),
                            tg::Tensor::from(xt::xarray<float>{5, 6}));
  BOOST_TEST(c.value()(0) == 17.0f);
  BOOST_TEST(c.value()(1) == 39.0f);
}

BOOST_AUTO_TEST_CASE(thread_count_is_checked) {
  const int before = tg::num_threads();
  tg::set_num_threads(1);
  BOOST_TEST(tg::num_threads() == 1);
  tg::set_num_threads(before);
  BOOST_CHECK_EXCEPTION(tg::set_num_threads(0), tg::Error,
                        tg::testing::message_contains({"set_num_threads", "at least one thread", "got 0"}));
}

BOOST_AUTO_TEST_CASE(flush_denormal_zeroes_subnormal_results) {
  volatile float tiny = std::numeric_limits<float>::min();  // smallest normal float
  const bool was = tg::flush_denormal();
  if (!tg::set_flush_denormal(true)) return;  // no such mode on this CPU
  BOOST_TEST(tg::flush_denormal());
  BOOST_TEST(tiny / 4.0f == 0.0f);
  tg::set_flush_denormal(false);
  BOOST_TEST(!tg::flush_denormal());
  BOOST_TEST(tiny / 4.0f == std::numeric_limits<float>::min() / 4.0f);
  BOOST_TEST(tiny / 4.0f > 0.0f);
  tg::set_flush_denormal(was);
}

BOOST_AUTO_TEST_SUITE_END()
