// Every error path: the message names the operation (or reader and file) and the shapes or values at fault.
#include <boost/test/unit_test.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

using tg::Tensor;
using tg::TensorD;
using tg::testing::message_contains;
using tg::testing::message_is;

TensorD zeros(const tg::Shape& shape, bool requires_grad = false) { return tg::zeros<double>(shape, requires_grad); }

}  // namespace

BOOST_AUTO_TEST_SUITE(shape_mismatch)

BOOST_AUTO_TEST_CASE(elementwise_operations_name_both_shapes) {
  const auto a = zeros({2, 3}), b = zeros({4});
  const auto says = [](const std::string& op) {
    return message_is(op + ": shapes (2,3) and (4) cannot be broadcast together");
  };
  BOOST_CHECK_EXCEPTION(a + b, tg::Error, says("add"));
  BOOST_CHECK_EXCEPTION(a - b, tg::Error, says("sub"));
  BOOST_CHECK_EXCEPTION(a * b, tg::Error, says("mul"));
  BOOST_CHECK_EXCEPTION(a / b, tg::Error, says("div"));
  BOOST_CHECK_EXCEPTION(tg::pow(a, b), tg::Error, says("pow"));
  BOOST_CHECK_EXCEPTION(tg::maximum(a, b), tg::Error, says("maximum"));
  BOOST_CHECK_EXCEPTION(tg::minimum(a, b), tg::Error, says("minimum"));
  BOOST_CHECK_EXCEPTION(tg::where(a, a, b), tg::Error, says("where"));
  BOOST_CHECK_EXCEPTION(tg::gt(a, b), tg::Error, says("gt"));
  // The same checks guard float tensors.
  BOOST_CHECK_EXCEPTION(tg::zeros<float>({2, 3}) + tg::zeros<float>({4}), tg::Error, says("add"));
}

BOOST_AUTO_TEST_CASE(matmul_names_the_operand_shapes) {
  BOOST_CHECK_EXCEPTION(tg::matmul(zeros({64, 784}), zeros({100, 10})), tg::Error,
                        message_is("matmul: inner dimensions differ: (64,784) x (100,10)"));
  BOOST_CHECK_EXCEPTION(tg::matmul(zeros({3}), zeros({4})), tg::Error,
                        message_is("matmul: inner dimensions differ: (3) x (4)"));
  BOOST_CHECK_EXCEPTION(tg::matmul(zeros({2, 3}), zeros({4})), tg::Error,
                        message_is("matmul: inner dimensions differ: (2,3) x (4)"));
  BOOST_CHECK_EXCEPTION(tg::matmul(zeros({}), zeros({3})), tg::Error,
                        message_is("matmul: operands need at least one dimension, got () x (3)"));
  // Batch axes that do not broadcast are named.
  BOOST_CHECK_EXCEPTION(tg::matmul(zeros({2, 2, 3}), zeros({3, 3, 2})), tg::Error,
                        message_contains({"matmul: ", "(2)", "(3)", "cannot be broadcast"}));
}

BOOST_AUTO_TEST_CASE(reshape_names_sizes) {
  BOOST_CHECK_EXCEPTION(tg::reshape(zeros({2, 3}), {4, 2}), tg::Error,
                        message_is("reshape: cannot reshape (2,3) (6 elements) to (4,2)"));
}

BOOST_AUTO_TEST_CASE(concat_and_stack_name_the_tensor_that_differs) {
  BOOST_CHECK_EXCEPTION(tg::concat({zeros({2, 3}), zeros({2, 4})}, 0), tg::Error,
                        message_is("concat: tensor 1 has shape (2,4), tensor 0 has (2,3); they must agree except on "
                                   "axis 0"));
  BOOST_CHECK_EXCEPTION(tg::concat({zeros({2, 3}), zeros({3})}, 1), tg::Error,
                        message_is("concat: tensor 1 has shape (3), tensor 0 has (2,3); they must agree except on "
                                   "axis 1"));
  BOOST_CHECK_EXCEPTION(tg::concat(std::vector<TensorD>{}, 0), tg::Error,
                        message_is("concat: no tensors to concatenate"));
  BOOST_CHECK_EXCEPTION(tg::stack({zeros({2, 3}), zeros({3, 2})}, 0), tg::Error,
                        message_is("stack: tensor 1 has shape (3,2), tensor 0 has (2,3)"));
  BOOST_CHECK_EXCEPTION(tg::stack(std::vector<TensorD>{}, 0), tg::Error, message_is("stack: no tensors to stack"));
}

BOOST_AUTO_TEST_CASE(broadcast_to_and_sum_to_name_both_shapes) {
  BOOST_CHECK_EXCEPTION(tg::broadcast_to(zeros({2, 3}), {3, 3}), tg::Error,
                        message_is("broadcast_to: shapes (2,3) and (3,3) cannot be broadcast together"));
  BOOST_CHECK_EXCEPTION(tg::broadcast_to(zeros({3, 1}), {3}), tg::Error,
                        message_is("broadcast_to: shape (3,1) cannot be broadcast to (3)"));
  BOOST_CHECK_EXCEPTION(tg::sum_to(zeros({2, 3}), {4}), tg::Error,
                        message_is("sum_to: shape (2,3) cannot be summed to (4)"));
  BOOST_CHECK_EXCEPTION(tg::sum_to(zeros({3}), {2, 3}), tg::Error,
                        message_is("sum_to: shape (3) cannot be summed to (2,3)"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bad_axes)

BOOST_AUTO_TEST_CASE(reductions_name_the_axis_and_the_rank) {
  const auto x = zeros({2, 3});
  BOOST_CHECK_EXCEPTION(tg::sum(x, {2}), tg::Error,
                        message_is("sum: axis 2 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::mean(x, {-3}), tg::Error,
                        message_is("mean: axis -3 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::max(x, {5}, true), tg::Error,
                        message_is("max: axis 5 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::logsumexp(x, {0, 2}), tg::Error,
                        message_is("logsumexp: axis 2 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::sum(x, {1, -1}), tg::Error, message_is("sum: an axis is repeated"));
}

BOOST_AUTO_TEST_CASE(softmax_concat_stack_permute_transpose) {
  const auto x = zeros({2, 3});
  BOOST_CHECK_EXCEPTION(tg::softmax(x, 2), tg::Error,
                        message_is("softmax: axis 2 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::log_softmax(x, -3), tg::Error,
                        message_is("log_softmax: axis -3 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::concat({x, x}, 2), tg::Error,
                        message_is("concat: axis 2 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::stack({x, x}, 3), tg::Error,
                        message_is("stack: axis 3 is out of range for a tensor with 3 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::permute(x, {0}), tg::Error, message_is("permute: 1 axes for a tensor of shape (2,3)"));
  BOOST_CHECK_EXCEPTION(tg::permute(zeros({2, 3, 4}), {0, 0, 1}), tg::Error,
                        message_is("permute: axes are not a permutation"));
  BOOST_CHECK_EXCEPTION(tg::permute(x, {0, 2}), tg::Error,
                        message_is("permute: axis 2 is out of range for a tensor with 2 dimensions"));
  BOOST_CHECK_EXCEPTION(tg::transpose(zeros({3})), tg::Error,
                        message_is("transpose: needs at least 2 dimensions, got shape (3)"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(slices)

BOOST_AUTO_TEST_CASE(out_of_range_slices_name_axis_and_shape) {
  const auto x = zeros({4, 5});
  BOOST_CHECK_EXCEPTION(tg::slice(x, {{0, 7}}), tg::Error,
                        message_is("slice: stop 7 is out of range for axis 0 of shape (4,5)"));
  BOOST_CHECK_EXCEPTION(tg::slice(x, {{0, 2}, {-6, 2}}), tg::Error,
                        message_is("slice: start -6 is out of range for axis 1 of shape (4,5)"));
  BOOST_CHECK_EXCEPTION(tg::slice(x, {{}, {}, {}}), tg::Error,
                        message_is("slice: 3 slices for a tensor of shape (4,5)"));
  BOOST_CHECK_EXCEPTION(tg::slice(x, {{0, 4, 0}}), tg::Error, message_is("slice: step must be positive, got 0"));
  BOOST_CHECK_EXCEPTION(tg::slice(x, {{0, 4, -1}}), tg::Error, message_is("slice: step must be positive, got -1"));
}

BOOST_AUTO_TEST_CASE(pad_slice_names_both_shapes) {
  BOOST_CHECK_EXCEPTION(tg::pad_slice(zeros({2, 2}), {4, 5}, {{1, 3}, {0, tg::Slice::End, 2}}), tg::Error,
                        message_is("pad_slice: the slice of (4,5) has shape (2,3) but the tensor has shape (2,2)"));
  BOOST_CHECK_EXCEPTION(tg::pad_slice(zeros({2}), {4}, {{3, 9}}), tg::Error,
                        message_is("pad_slice: stop 9 is out of range for axis 0 of shape (4)"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(values)

BOOST_AUTO_TEST_CASE(empty_reductions) {
  BOOST_CHECK_EXCEPTION(tg::mean(zeros({0, 3}), {0}), tg::Error,
                        message_is("mean: reducing over an empty axis of shape (0,3)"));
  BOOST_CHECK_EXCEPTION(tg::max(zeros({0, 3})), tg::Error, message_is("max: the tensor is empty, shape (0,3)"));
}

BOOST_AUTO_TEST_CASE(inverted_bounds) {
  BOOST_CHECK_EXCEPTION(tg::clamp(zeros({2}), 2.0, 1.0), tg::Error,
                        message_contains({"clamp: lo 2", "is greater than hi 1"}));
  tg::Generator gen(1);
  BOOST_CHECK_EXCEPTION(tg::uniform<double>({2}, 1.0, -1.0, gen), tg::Error,
                        message_contains({"uniform: lo 1", "is greater than hi -1"}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tensor_and_engine)

BOOST_AUTO_TEST_CASE(item_of_a_non_scalar) {
  BOOST_CHECK_EXCEPTION(zeros({2, 3}).item(), tg::Error,
                        message_is("item: the tensor has shape (2,3); only a one-element tensor has an item"));
  BOOST_TEST(zeros({1, 1}).item() == 0.0);
}

BOOST_AUTO_TEST_CASE(backward_of_a_non_scalar_needs_a_seed) {
  auto x = zeros({2}, true);
  auto y = x * 2.0;
  BOOST_CHECK_EXCEPTION(y.backward(), tg::Error,
                        message_is("backward: the output has shape (2); without an explicit gradient it must have "
                                   "exactly one element"));
  BOOST_CHECK_EXCEPTION(tg::grad({y}, {x}), tg::Error,
                        message_is("grad: the output has shape (2); without an explicit gradient it must have exactly "
                                   "one element"));
  BOOST_CHECK_EXCEPTION(y.backward(zeros({3})), tg::Error,
                        message_is("backward: the gradient for output 0 has shape (3) but the output has shape (2)"));
  y.backward(TensorD::from(xt::xarray<double>{1.0, -1.0}));
  BOOST_TEST(x.grad().value() == (xt::xarray<double>{2.0, -2.0}));
}

BOOST_AUTO_TEST_CASE(grad_arguments_are_checked) {
  auto x = zeros({2}, true);
  auto constant = zeros({2});
  auto y = tg::sum(x * x);
  BOOST_CHECK_EXCEPTION(tg::grad({y}, {constant}), tg::Error, message_is("grad: input 0 does not require grad"));
  BOOST_CHECK_EXCEPTION(tg::grad({y}, {x, x}), tg::Error, message_is("grad: input 1 appears twice in the inputs"));
  BOOST_CHECK_EXCEPTION(tg::grad({y}, {x}, {zeros({}), zeros({})}), tg::Error,
                        message_is("grad: 1 outputs but 2 gradients for them"));
  BOOST_CHECK_EXCEPTION(tg::grad({tg::sum(constant)}, {x}), tg::Error,
                        message_is("grad: output 0 does not require grad (nothing it was computed from requires "
                                   "grad)"));
  BOOST_CHECK_EXCEPTION(tg::grad({TensorD()}, {x}, {zeros({})}), tg::Error,
                        message_is("grad: output 0 is an undefined tensor"));
}

BOOST_AUTO_TEST_CASE(undefined_tensor) {
  const TensorD undefined;
  BOOST_TEST(!undefined.defined());
  BOOST_CHECK_EXCEPTION(undefined.value(), tg::Error, message_is("Tensor::value: the tensor is undefined"));
  BOOST_CHECK_EXCEPTION(undefined.requires_grad(), tg::Error,
                        message_is("Tensor::requires_grad: the tensor is undefined"));
  BOOST_CHECK_EXCEPTION(undefined.grad(), tg::Error, message_is("Tensor::grad: the tensor is undefined"));
  BOOST_CHECK_EXCEPTION(undefined.backward(), tg::Error, message_is("backward: output 0 is an undefined tensor"));
  BOOST_CHECK_EXCEPTION(zeros({2}) + undefined, tg::Error, message_is("Tensor::value: the tensor is undefined"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(data_files)

// Missing and truncated files have their cases beside each reader; here every reader meets 0 bytes.
BOOST_AUTO_TEST_CASE(empty_files_name_the_reader_and_the_file) {
  const tg::testing::TempDir dir("tapegrad_empty_files");
  const std::string empty = (dir / "empty").string(), empty_gz = (dir / "empty.gz").string();
  tg::testing::write_bytes(empty, "");
  tg::testing::write_bytes(empty_gz, "");
  const auto says = [&](const std::string& reader, const std::string& file, const std::string& what) {
    return message_is(reader + ": " + file + ": " + what);
  };
  const std::string no_header_length = "truncated: 0 bytes, too few for the 8-byte header length";
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(empty), tg::Error,
                        says("read_idx_images", empty, "truncated header: 0 bytes, expected at least 16"));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_images(empty_gz), tg::Error,
                        says("read_idx_images", empty_gz, "truncated header: 0 bytes, expected at least 16"));
  BOOST_CHECK_EXCEPTION(tg::nn::read_idx_labels(empty), tg::Error,
                        says("read_idx_labels", empty, "truncated header: 0 bytes, expected at least 8"));
  BOOST_CHECK_EXCEPTION(tg::nn::read_mnist_csv(empty), tg::Error,
                        says("read_mnist_csv", empty, "no images (the file is empty)"));
  BOOST_CHECK_EXCEPTION(tg::nn::read_image(empty), tg::Error,
                        says("read_image", empty, "not a PNG, JPEG, BMP or GIF image (it is empty)"));
  tg::nn::Sequential model(tg::nn::Linear(2, 2));
  tg::optim::Adam adam(model.parameters(), {});
  BOOST_CHECK_EXCEPTION(tg::nn::load_weights(empty, model), tg::Error, says("load_weights", empty, no_header_length));
  BOOST_CHECK_EXCEPTION(tg::nn::load_checkpoint(empty, model, adam), tg::Error,
                        says("load_checkpoint", empty, no_header_length));
  BOOST_CHECK_EXCEPTION(tg::nn::load_model<float>(empty), tg::Error, says("load_model", empty, no_header_length));
}

BOOST_AUTO_TEST_SUITE_END()
