// Shapes too large to exist: every one is a tg::Error naming the operation and the shape, never a
// count that wrapped around, a tensor silently holding nothing, or an allocation that cannot succeed.
#include <boost/test/unit_test.hpp>

#include "autograd/element_count.hpp"
#include "tapegrad.hpp"
#include "tests/error_message.hpp"

namespace {

using tg::testing::message_contains;
using tg::testing::message_is;

constexpr std::size_t two_to_62 = std::size_t{1} << 62;

}  // namespace

BOOST_AUTO_TEST_SUITE(sizes)

BOOST_AUTO_TEST_CASE(element_counts_that_overflow_are_refused) {
  // 2^62 x 4 = 2^64 wraps to 0 in 64-bit arithmetic; 4 x (2^62 + 5) wraps to 20.
  BOOST_CHECK_EXCEPTION(tg::element_count({two_to_62, 4}, "test"), tg::Error,
                        message_is("test: shape (4611686018427387904,4) has too many elements (more than 2^60)"));
  BOOST_CHECK_EXCEPTION(tg::element_count({4, two_to_62 + 5}, "test"), tg::Error,
                        message_contains({"test: shape (4,4611686018427387909)"}));
  // Strides are products of the other dimensions, so a 0 elsewhere does not make it safe.
  BOOST_CHECK_EXCEPTION(tg::element_count({0, std::size_t{1} << 32, std::size_t{1} << 32}, "test"), tg::Error,
                        message_contains({"test: shape (0,4294967296,4294967296) has too many elements"}));
  BOOST_TEST(tg::element_count({0, 1 << 20, 1 << 20}, "test") == 0u);
  BOOST_TEST(tg::element_count({}, "test") == 1u);
  BOOST_TEST(tg::element_count({std::size_t{1} << 30, std::size_t{1} << 30}, "test") == std::size_t{1} << 60);
}

BOOST_AUTO_TEST_CASE(factories_refuse_shapes_that_overflow) {
  BOOST_CHECK_EXCEPTION(tg::ones<float>({two_to_62, 4}), tg::Error,
                        message_is("ones: shape (4611686018427387904,4) has too many elements (more than 2^60)"));
  BOOST_CHECK_EXCEPTION(tg::zeros<double>({two_to_62, 4}), tg::Error, message_contains({"zeros: shape ("}));
  BOOST_CHECK_EXCEPTION(tg::full<float>({two_to_62, 4}, 1.0f), tg::Error, message_contains({"full: shape ("}));
  tg::Generator gen(1);
  BOOST_CHECK_EXCEPTION(tg::randn<float>({two_to_62, 4}, gen), tg::Error, message_contains({"randn: shape ("}));
  BOOST_CHECK_EXCEPTION(tg::uniform<float>({two_to_62, 4}, 0.0f, 1.0f, gen), tg::Error,
                        message_contains({"uniform: shape ("}));
}

BOOST_AUTO_TEST_CASE(factories_refuse_tensors_larger_than_memory) {
  // 2^40 floats are 4 TiB: an error saying so, not std::bad_alloc (nor an OOM kill where memory overcommits).
  BOOST_CHECK_EXCEPTION(tg::zeros<float>({std::size_t{1} << 40}), tg::Error,
                        message_contains({"zeros: shape (1099511627776) needs 4 TiB, more than this machine's memory ("}));
  BOOST_CHECK_EXCEPTION(tg::ones<double>({std::size_t{1} << 20, std::size_t{1} << 20}), tg::Error,
                        message_contains({"ones: shape (1048576,1048576) needs 8 TiB"}));
}

BOOST_AUTO_TEST_CASE(reshape_to_a_shape_whose_count_wraps_around) {
  // 4 x (2^62 + 5) wraps to 20 elements: once accepted, sum segfaulted and matmul cut K to 5.
  const auto x = tg::ones<float>({20});
  BOOST_CHECK_EXCEPTION(tg::reshape(x, {4, two_to_62 + 5}), tg::Error,
                        message_is("reshape: shape (4,4611686018427387909) has too many elements (more than 2^60)"));
  BOOST_CHECK_EXCEPTION(tg::reshape(x, {two_to_62 + 5, 4}), tg::Error, message_contains({"reshape: shape ("}));
}

BOOST_AUTO_TEST_CASE(broadcasting_to_a_shape_too_large) {
  const auto b = tg::zeros<float>({1, 1});
  BOOST_CHECK_EXCEPTION(tg::broadcast_shapes({two_to_62, 1}, {1, 64}, "add"), tg::Error,
                        message_is("add: shape (4611686018427387904,64) has too many elements (more than 2^60)"));
  BOOST_CHECK_EXCEPTION(tg::broadcast_to(b, {two_to_62, 64}), tg::Error,
                        message_contains({"broadcast_to: shape (4611686018427387904,64) has too many elements"}));
  BOOST_TEST(tg::broadcast_shapes({std::size_t{1} << 30, 1}, {1, std::size_t{1} << 30}, "add") ==
             (tg::Shape{std::size_t{1} << 30, std::size_t{1} << 30}));
}

BOOST_AUTO_TEST_CASE(layers_too_large_to_build) {
  // The parameters are made by the factories, which name the shape the layer asked for.
  BOOST_CHECK_EXCEPTION(tg::nn::Embedding(two_to_62, 8), tg::Error,
                        message_contains({"zeros: shape (4611686018427387904,8) has too many elements"}));
  BOOST_CHECK_EXCEPTION(tg::nn::Linear(1 << 20, 1 << 20), tg::Error,
                        message_contains({"zeros: shape (1048576,1048576) needs 4 TiB"}));
}

BOOST_AUTO_TEST_CASE(pad_slice_to_a_shape_too_large) {
  BOOST_CHECK_EXCEPTION(tg::pad_slice(tg::zeros<float>({1}), {two_to_62, 8}, {{0, 1}, {0, 1}}), tg::Error,
                        message_contains({"pad_slice: shape (4611686018427387904,8) has too many elements"}));
}

BOOST_AUTO_TEST_CASE(byte_sizes_read_as_people_write_them) {
  BOOST_TEST(tg::byte_size_str(512) == "512 bytes");
  BOOST_TEST(tg::byte_size_str(4.0 * 1024 * 1024 * 1024 * 1024) == "4 TiB");
  BOOST_TEST(tg::byte_size_str(1.5 * 1024 * 1024) == "1.5 MiB");
}

BOOST_AUTO_TEST_SUITE_END()
