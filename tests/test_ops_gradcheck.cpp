// Every operation in the table, gradchecked and gradgradchecked in double; and gradcheck itself
// must catch a wrong gradient rule.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <regex>

#include "autograd/record.hpp"
#include "tests/error_message.hpp"
#include "tests/op_table.hpp"

namespace {

using tg::TensorD;
using tg::testing::message_contains;
using tg::testing::message_is;
using tg::testing::OpCase;

std::string shapes_str(const std::vector<tg::Shape>& shapes) {
  std::string s;
  for (const auto& shape : shapes) s += (s.empty() ? "" : " and ") + tg::shape_str(shape);
  return s;
}

// Runs one check; a mismatch is reported with its message, which names the input and element.
template <class Check>
void expect_passes(const std::string& what, Check check) {
  try {
    BOOST_CHECK_MESSAGE(check(), what);
  } catch (const std::exception& e) {
    BOOST_ERROR(what << ": " << e.what());
  }
}

void check_op(const OpCase& op) {
  BOOST_REQUIRE_EQUAL(op.domains.size(), op.arity);
  BOOST_REQUIRE(!op.shapes.empty());
  std::uint64_t seed = 1;
  for (const auto& shapes : op.shapes) {
    BOOST_REQUIRE_EQUAL(shapes.size(), op.arity);
    const std::string where = op.name + " on " + shapes_str(shapes);
    const auto inputs = tg::testing::sample_inputs(op, shapes, seed++);
    expect_passes("gradcheck of " + where, [&] { return tg::gradcheck(op.build, inputs); });
    expect_passes("gradgradcheck of " + where, [&] { return tg::gradgradcheck(op.build, inputs); });
  }
}

// One test case per operation, named after it.
struct RegisterOpCases {
  RegisterOpCases() {
    auto* suite = BOOST_TEST_SUITE("ops_gradcheck");
    for (const OpCase& op : tg::testing::op_table())
      suite->add(BOOST_TEST_CASE_NAME([&op] { check_op(op); }, op.name));
    boost::unit_test::framework::master_test_suite().add(suite);
  }
} const register_op_cases;

// The number printed after `label` in a gradcheck message.
double number_after(const std::string& message, const std::string& label) {
  std::smatch m;
  if (!std::regex_search(message, m, std::regex(label + " (-?[0-9.e+-]+)")))
    throw std::runtime_error("no '" + label + "' in: " + message);
  return std::stod(m[1]);
}

// a * b whose rule hands input 1 the gradient g * b instead of g * a: a deliberate bug.
TensorD wrong_mul(const TensorD& a, const TensorD& b) {
  return tg::record<double>({.name = "wrong_mul", .inputs = {a, b}, .save = {a, b}}, a.value() * b.value(),
                            [](const TensorD& g, const tg::Saved<double>& s) {
                              return tg::Grads<double>{g * s[1], g * s[1]};
                            });
}

// x^2 whose rule is right but built from a constant, so it has no second derivative.
TensorD square_without_second_derivative(const TensorD& x) {
  return tg::record<double>({.name = "flat_square", .inputs = {x}, .save = {x}}, x.value() * x.value(),
                            [](const TensorD& g, const tg::Saved<double>& s) {
                              return tg::Grads<double>{g * TensorD::from(2.0 * s[0].value())};
                            });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gradcheck_itself)

BOOST_AUTO_TEST_CASE(wrong_rule_fails_naming_input_element_and_values) {
  // a and b agree except at (1,0), the only element where the wrong rule differs from the true one.
  auto a = TensorD::from({{1.0, 2.0}, {3.0, 4.0}}, true);
  auto b = TensorD::from({{1.0, 2.0}, {7.0, 4.0}}, true);
  auto fn = [](const std::vector<TensorD>& in) { return wrong_mul(in[0], in[1]); };
  try {
    tg::gradcheck(fn, {a, b});
    BOOST_ERROR("gradcheck accepted a wrong gradient rule");
  } catch (const tg::GradcheckError& e) {
    const std::string message = e.what();
    BOOST_TEST_INFO(message);
    BOOST_TEST(message.find("gradcheck: ") == 0u);
    BOOST_TEST(message.find("input 1 at element (1,0)") != std::string::npos);
    BOOST_TEST(message.find("output 0 element (1,0)") != std::string::npos);
    BOOST_TEST(number_after(message, "numerical") == 3.0, boost::test_tools::tolerance(1e-6));
    BOOST_TEST(number_after(message, "analytical") == 7.0, boost::test_tools::tolerance(1e-12));
  }
  BOOST_TEST(!tg::gradcheck(fn, {a, b}, {.raise = false}));
  // With b not requiring grad only input 0 is checked, and its rule is right.
  BOOST_TEST(tg::gradcheck(fn, {a, b.detach()}));
}

BOOST_AUTO_TEST_CASE(correct_rule_passes_and_inputs_are_untouched) {
  auto a = TensorD::from({{1.0, 2.0}, {3.0, 4.0}}, true);
  auto b = TensorD::from({0.5, -1.5}, true);
  const auto version = a.version();
  BOOST_TEST(tg::gradcheck([](const std::vector<TensorD>& in) { return in[0] * in[1]; }, {a, b}));
  BOOST_TEST(tg::gradgradcheck([](const std::vector<TensorD>& in) { return in[0] * in[1]; }, {a, b}));
  BOOST_TEST(!a.grad().defined());
  BOOST_TEST(!b.grad().defined());
  BOOST_TEST(a.version() == version);
  BOOST_TEST(a.value() == (xt::xarray<double>{{1.0, 2.0}, {3.0, 4.0}}));
}

BOOST_AUTO_TEST_CASE(several_outputs_are_all_checked) {
  auto x = TensorD::from({0.3, 0.7}, true);
  auto right = [](const std::vector<TensorD>& in) { return std::vector<TensorD>{tg::exp(in[0]), in[0] * 3.0}; };
  auto wrong = [](const std::vector<TensorD>& in) {
    return std::vector<TensorD>{tg::exp(in[0]), wrong_mul(TensorD::from({3.0, 3.0}), in[0])};
  };
  BOOST_TEST(tg::gradcheck(right, {x}));
  BOOST_TEST(tg::gradgradcheck(right, {x}));
  BOOST_CHECK_EXCEPTION(tg::gradcheck(wrong, {x}), tg::GradcheckError, [](const tg::GradcheckError& e) {
    return message_contains({"input 0 at element (0)", "output 1 element (0)"})(e) &&
           std::abs(number_after(e.what(), "numerical") - 3.0) < 1e-6 && number_after(e.what(), "analytical") == 0.3;
  });
}

BOOST_AUTO_TEST_CASE(missing_second_derivative_fails_gradgradcheck_only) {
  auto x = TensorD::from({0.5, -1.25, 2.0}, true);
  auto fn = [](const std::vector<TensorD>& in) { return square_without_second_derivative(in[0]); };
  BOOST_TEST(tg::gradcheck(fn, {x}));
  BOOST_CHECK_EXCEPTION(tg::gradgradcheck(fn, {x}), tg::GradcheckError,
                        message_contains({"gradgradcheck: ", "input 0 at element (", "analytical 0 "}));
  BOOST_TEST(!tg::gradgradcheck(fn, {x}, {.raise = false}));
}

BOOST_AUTO_TEST_CASE(nothing_to_check_is_an_error) {
  auto x = TensorD::from({1.0, 2.0});
  BOOST_CHECK_EXCEPTION(tg::gradcheck([](const std::vector<TensorD>& in) { return tg::exp(in[0]); }, {x}), tg::Error,
                        message_is("gradcheck: no input requires grad, so there is nothing to check"));
}

BOOST_AUTO_TEST_SUITE_END()
