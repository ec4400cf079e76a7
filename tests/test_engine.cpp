// The tape itself: accumulation, graph shapes, memory, errors.
#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(broadcast_add_by_hand) {
  xt::xarray<double> col = {1.0, 2.0, 3.0};
  col.reshape({3, 1});
  auto a = tg::TensorD::from(col, true);
  auto b = tg::TensorD::from(xt::xarray<double>{{10.0, 20.0, 30.0, 40.0}}, true);
  auto c = a + b;
  BOOST_TEST(c.value() == (xt::xarray<double>{{11, 21, 31, 41}, {12, 22, 32, 42}, {13, 23, 33, 43}}));
  tg::sum(c).backward();
  xt::xarray<double> four = {4.0, 4.0, 4.0};
  four.reshape({3, 1});
  BOOST_TEST(a.grad().value() == four);
  BOOST_TEST(b.grad().value() == (xt::xarray<double>{{3.0, 3.0, 3.0, 3.0}}));
}

BOOST_AUTO_TEST_SUITE_END()
