// A tensor's gradient: the only ways to change it (set, clear, zero, change in place) and that
// a gradient shared by several tensors never changes behind another's back.
#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::TensorD;
using tg::testing::message_is;

}  // namespace

BOOST_AUTO_TEST_SUITE(gradients)

BOOST_AUTO_TEST_CASE(set_grad_checks_the_shape) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  x.set_grad(TensorD::from(xt::xarray<double>{0.5, -1.0}));
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{0.5, -1.0}));
  BOOST_CHECK_EXCEPTION(x.set_grad(TensorD::from(xt::xarray<double>{1.0, 2.0, 3.0})), tg::Error,
                        message_is("set_grad: the gradient has shape (3) but the tensor has shape (2)"));
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{0.5, -1.0}));  // unchanged by the refused one
  tg::sum(x * 2.0).backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{2.5, 1.0}));  // backward adds to what was set
  x.set_grad({});
  BOOST_TEST(!x.grad().defined());
}

BOOST_AUTO_TEST_CASE(clear_grad_makes_the_next_backward_store_its_gradient) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  tg::sum(x * x).backward();
  const TensorD kept = x.grad();
  x.clear_grad();
  BOOST_TEST(!x.grad().defined());
  tg::sum(x * 3.0).backward();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{3.0, 3.0}));
  BOOST_TEST(kept.value() == (xt::xarray<double>{2.0, 4.0}));  // a gradient handed out stays as it was
}

BOOST_AUTO_TEST_CASE(zero_grad_reuses_the_buffer_only_when_nobody_else_holds_it) {
  auto x = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  tg::sum(x * x).backward();
  const double* buffer = x.grad().value().data();
  x.zero_grad();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{0.0, 0.0}));
  BOOST_TEST(x.grad().value().data() == buffer);  // filled in place

  tg::sum(x * 3.0).backward();
  const TensorD held = x.grad();
  x.zero_grad();
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{0.0, 0.0}));
  BOOST_TEST(held.value() == (xt::xarray<double>{3.0, 3.0}));  // the caller's copy is not zeroed
}

BOOST_AUTO_TEST_CASE(mutable_grad_copies_a_gradient_shared_between_two_leaves) {
  // a + b hands the same gradient tensor to both leaves: scaling a's must leave b's alone.
  auto a = TensorD::from(xt::xarray<double>{1.0, 2.0}, true);
  auto b = TensorD::from(xt::xarray<double>{3.0, 4.0}, true);
  (a + b).backward(TensorD::from(xt::xarray<double>{1.0, -1.0}));
  a.mutable_grad() *= 10.0;
  BOOST_TEST(a.grad().value() == (xt::xarray<double>{10.0, -10.0}));
  BOOST_TEST(b.grad().value() == (xt::xarray<double>{1.0, -1.0}));

  const double* buffer = a.grad().value().data();
  a.mutable_grad() += 1.0;  // now a's own: changed in place
  BOOST_TEST(a.grad().value().data() == buffer);
  BOOST_TEST(a.grad().value() == (xt::xarray<double>{11.0, -9.0}));
}

BOOST_AUTO_TEST_CASE(mutable_grad_without_a_gradient_is_an_error) {
  auto x = TensorD::from(xt::xarray<double>{1.0}, true);
  BOOST_CHECK_EXCEPTION(x.mutable_grad(), tg::Error,
                        message_is("mutable_grad: the tensor has no gradient (no backward has reached it)"));
}

BOOST_AUTO_TEST_CASE(a_gradient_with_history_is_copied_before_a_change_in_place) {
  // With create_graph the gradient is itself recorded; changing it in place would corrupt that graph.
  auto x = TensorD::from(xt::xarray<double>{1.5}, true);
  tg::square(x).backward({.create_graph = true});
  const TensorD recorded = x.grad();
  BOOST_TEST(recorded.requires_grad());
  x.mutable_grad() *= 2.0;
  BOOST_TEST(x.grad().item() == 6.0);
  BOOST_TEST(!x.grad().requires_grad());
  BOOST_TEST(recorded.item() == 3.0);
  auto second = tg::grad({recorded}, {x});
  BOOST_TEST(second[0].item() == 2.0);  // d(2x)/dx, from the untouched recorded gradient
}

BOOST_AUTO_TEST_CASE(identity_is_shared_by_handles_and_differs_between_tensors) {
  auto x = TensorD::from(xt::xarray<double>{1.0});
  const TensorD same = x;
  BOOST_TEST(same.identity() == x.identity());
  BOOST_TEST(x.detach().identity() != x.identity());
  BOOST_TEST(TensorD().identity() == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
