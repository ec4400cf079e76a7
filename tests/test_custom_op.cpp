// Custom operations through tg::record: the engine checks what a rule returns and what it
// reads, and names the operation when either is wrong.
#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::TensorD;
using tg::testing::message_is;

// a * b with the given rule.
template <class Rule>
TensorD product(const TensorD& a, const TensorD& b, Rule rule, bool save_output = false) {
  return tg::record<double>({.name = "mine", .inputs = {a, b}, .save = {a, b}, .save_output = save_output},
                            a.value() * b.value(), rule);
}

const auto a = TensorD::from(xt::xarray<double>{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}}, true);
const auto b = TensorD::from(xt::xarray<double>{0.5, -1.0, 2.0}, true);

}  // namespace

BOOST_AUTO_TEST_SUITE(custom_op)

BOOST_AUTO_TEST_CASE(one_gradient_for_two_inputs_is_refused) {
  // Before the check this surfaced later as "grad: input 1 was not used to compute the outputs".
  const auto y = product(a, b, [](const TensorD& g, const tg::Saved<double>& s) { return tg::Grads<double>{g * s[1]}; });
  BOOST_CHECK_EXCEPTION(tg::grad({tg::sum(y)}, {a, b}), tg::Error,
                        message_is("backward: the gradient rule of 'mine' returned 1 gradients for 2 inputs; it must "
                                   "return one per input (undefined for an input that needs none)"));
}

BOOST_AUTO_TEST_CASE(a_gradient_that_does_not_fit_its_input_is_refused) {
  const auto y = product(a, b, [](const TensorD& g, const tg::Saved<double>& s) {
    return tg::Grads<double>{g * s[1], tg::sum(g, {1})};  // (2): b is (3)
  });
  BOOST_CHECK_EXCEPTION(tg::sum(y).backward(), tg::Error,
                        message_is("backward: the gradient rule of 'mine' returned a gradient of shape (2) for input 1 "
                                   "of shape (3); it must have the input's shape or one the input broadcasts to"));
}

BOOST_AUTO_TEST_CASE(a_gradient_in_the_broadcast_shape_is_summed_back) {
  // g * a is (2,3) for b of shape (3): the engine sums it over the broadcast axis.
  const auto y = product(a, b, [](const TensorD& g, const tg::Saved<double>& s) {
    return tg::Grads<double>{g * s[1], g * s[0]};
  });
  const auto grads = tg::grad({tg::sum(y)}, {a, b});
  BOOST_TEST(grads[0].value() == (xt::xarray<double>{{0.5, -1.0, 2.0}, {0.5, -1.0, 2.0}}));
  BOOST_TEST(grads[1].value() == (xt::xarray<double>{5.0, 7.0, 9.0}));
}

BOOST_AUTO_TEST_CASE(reading_what_was_not_saved_is_refused) {
  const auto third = product(a, b, [](const TensorD& g, const tg::Saved<double>& s) {
    return tg::Grads<double>{g * s[2], g};
  });
  BOOST_CHECK_EXCEPTION(tg::sum(third).backward(), tg::Error,
                        message_is("backward: the gradient rule of 'mine' reads saved tensor 2, but 'mine' saved 2 "
                                   "(OpSpec::save)"));
  const auto output = product(a, b, [](const TensorD& g, const tg::Saved<double>& s) {
    return tg::Grads<double>{g * s.output(), g};
  });
  BOOST_CHECK_EXCEPTION(tg::sum(output).backward(), tg::Error,
                        message_is("backward: the gradient rule of 'mine' reads its output, but 'mine' was recorded "
                                   "without save_output"));
  const auto saved_output = product(
      a, b, [](const TensorD& g, const tg::Saved<double>& s) { return tg::Grads<double>{g * s.output(), g}; }, true);
  BOOST_CHECK_NO_THROW(tg::sum(saved_output).backward());
  const auto input = product(a, b, [](const TensorD& g, const tg::Saved<double>& s) {
    return tg::Grads<double>{s.needs(2) ? g : g, g};
  });
  BOOST_CHECK_EXCEPTION(tg::sum(input).backward(), tg::Error,
                        message_is("backward: the gradient rule of 'mine' asks whether input 2 needs a gradient, but "
                                   "'mine' has 2 inputs"));
}

BOOST_AUTO_TEST_SUITE_END()
