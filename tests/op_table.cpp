// One file for the whole table: each op is listed once, so what is gradchecked and benchmarked shows in one place.
#include "tests/op_table.hpp"

#include <cmath>

namespace tg::testing {
namespace {

using Shapes = std::vector<std::vector<Shape>>;

// `build` is a generic lambda, so the same entry builds the operation on float and double.
template <class Build>
OpCase op(std::string name, std::size_t arity, Build build, Shapes shapes, std::vector<Domain> domains = {Domain{}},
          bool distinct = false) {
  if (domains.size() == 1) domains.resize(arity, domains.front());
  return {std::move(name), arity, build, build, std::move(shapes), std::move(domains), distinct};
}

// The condition of `where`: a constant, nonzero meaning true.
template <class T>
BasicTensor<T> condition() {
  return BasicTensor<T>::from(xt::xarray<T>{{1, 0, -2}});
}

// Blocks picked by the gather and scatter_add entries: block 1 twice, blocks 2 to 4 never.
Index sample_index() { return std::make_shared<const std::vector<std::size_t>>(std::vector<std::size_t>{1, 0, 1, 5}); }

// Sequences of 3, 1 and 2 steps in a batch of 3 padded to 3 steps.
SequenceOptions sample_lengths(bool reverse) {
  return {.reverse = reverse, .lengths = std::make_shared<const std::vector<std::size_t>>(std::vector<std::size_t>{3, 1, 2})};
}

// Everything is local: the table is built during static initialization of the test programs.
std::vector<OpCase> make_table() {
  const Domain real{};
  const Domain positive{.lo = 0.5, .hi = 2.0};
  const Domain kink_at_zero{.kinks = {0.0}};
  // Broadcasting included: (3,1) with (1,4), (2,3) with (3,), a 0-d tensor with a matrix.
  const Shapes elementwise = {{Shape{2, 3}}, {Shape{4}}, {Shape{}}};
  const Shapes binary = {{Shape{2, 3}, Shape{2, 3}}, {Shape{3, 1}, Shape{1, 4}}, {Shape{2, 3}, Shape{3}},
                         {Shape{}, Shape{2, 2}}};
  const Shapes reducible = {{Shape{2, 3, 4}}, {Shape{3, 1, 2}}};
  const Shapes three_axes = {{Shape{2, 3, 4}}};
  return {
      // arithmetic
      op("add", 2, [](const auto& x) { return x[0] + x[1]; }, binary),
      op("sub", 2, [](const auto& x) { return x[0] - x[1]; }, binary),
      op("mul", 2, [](const auto& x) { return x[0] * x[1]; }, binary),
      op("div", 2, [](const auto& x) { return x[0] / x[1]; }, binary, {real, positive}),
      op("neg", 1, [](const auto& x) { return -x[0]; }, elementwise),
      op("add_scalar", 1, [](const auto& x) { return x[0] + 1.5; }, elementwise),
      op("sub_scalar", 1, [](const auto& x) { return x[0] - 1.5; }, elementwise),
      op("rsub_scalar", 1, [](const auto& x) { return 1.5 - x[0]; }, elementwise),
      op("mul_scalar", 1, [](const auto& x) { return x[0] * 2.5; }, elementwise),
      op("div_scalar", 1, [](const auto& x) { return x[0] / 2.5; }, elementwise),
      op("rdiv_scalar", 1, [](const auto& x) { return 2.0 / x[0]; }, elementwise, {positive}),
      // math
      op("exp", 1, [](const auto& x) { return tg::exp(x[0]); }, elementwise),
      op("log", 1, [](const auto& x) { return tg::log(x[0]); }, elementwise, {positive}),
      op("sqrt", 1, [](const auto& x) { return tg::sqrt(x[0]); }, elementwise, {positive}),
      op("abs", 1, [](const auto& x) { return tg::abs(x[0]); }, elementwise, {kink_at_zero}),
      op("square", 1, [](const auto& x) { return tg::square(x[0]); }, elementwise),
      op("sin", 1, [](const auto& x) { return tg::sin(x[0]); }, elementwise),
      op("cos", 1, [](const auto& x) { return tg::cos(x[0]); }, elementwise),
      op("pow_scalar_integer", 1, [](const auto& x) { return tg::pow(x[0], 3.0); }, elementwise),
      op("pow_scalar_fraction", 1, [](const auto& x) { return tg::pow(x[0], -1.5); }, elementwise, {positive}),
      op("pow_tensor", 2, [](const auto& x) { return tg::pow(x[0], x[1]); }, binary, {positive, real}),
      // activations
      op("sigmoid", 1, [](const auto& x) { return tg::sigmoid(x[0]); }, elementwise),
      op("tanh", 1, [](const auto& x) { return tg::tanh(x[0]); }, elementwise),
      op("relu", 1, [](const auto& x) { return tg::relu(x[0]); }, elementwise, {kink_at_zero}),
      // relu's rule records its own op, relu_backward: differentiated here for the incoming
      // gradient x[1] too, which gradgradcheck of relu holds constant.
      op("relu_backward", 2,
         [](const auto& x) { return tg::grad({tg::relu(x[0])}, {x[0]}, {x[1]}, {.create_graph = true})[0]; },
         {{Shape{2, 3}, Shape{2, 3}}}, {kink_at_zero, real}),
      op("leaky_relu", 1, [](const auto& x) { return tg::leaky_relu(x[0], 0.1); }, elementwise, {kink_at_zero}),
      op("elu", 1, [](const auto& x) { return tg::elu(x[0], 0.5); }, elementwise, {kink_at_zero}),
      op("gelu", 1, [](const auto& x) { return tg::gelu(x[0]); }, elementwise),
      op("softplus", 1, [](const auto& x) { return tg::softplus(x[0]); }, elementwise),
      // choices
      op("maximum", 2, [](const auto& x) { return tg::maximum(x[0], x[1]); }, binary, {real}, true),
      op("minimum", 2, [](const auto& x) { return tg::minimum(x[0], x[1]); }, binary, {real}, true),
      op("clamp", 1, [](const auto& x) { return tg::clamp(x[0], -0.5, 1.0); }, elementwise,
         {Domain{.kinks = {-0.5, 1.0}}}),
      op("where", 2,
         [](const auto& x) {
           using T = typename std::decay_t<decltype(x[0])>::value_type;
           return tg::where(condition<T>(), x[0], x[1]);
         },
         {{Shape{2, 3}, Shape{2, 3}}, {Shape{2, 1}, Shape{3}}}),
      // reductions
      op("sum", 1, [](const auto& x) { return tg::sum(x[0]); }, reducible),
      op("sum_axis", 1, [](const auto& x) { return tg::sum(x[0], {1}); }, reducible),
      op("sum_axes_keepdims", 1, [](const auto& x) { return tg::sum(x[0], {0, -1}, true); }, reducible),
      op("mean", 1, [](const auto& x) { return tg::mean(x[0]); }, reducible),
      op("mean_axis", 1, [](const auto& x) { return tg::mean(x[0], {-1}); }, reducible),
      op("mean_axes_keepdims", 1, [](const auto& x) { return tg::mean(x[0], {0, 2}, true); }, reducible),
      op("max", 1, [](const auto& x) { return tg::max(x[0]); }, reducible, {real}, true),
      op("max_axis", 1, [](const auto& x) { return tg::max(x[0], {1}); }, reducible, {real}, true),
      op("max_axes_keepdims", 1, [](const auto& x) { return tg::max(x[0], {0, -1}, true); }, reducible, {real}, true),
      op("logsumexp", 1, [](const auto& x) { return tg::logsumexp(x[0]); }, reducible),
      op("logsumexp_axis", 1, [](const auto& x) { return tg::logsumexp(x[0], {-1}); }, reducible),
      op("logsumexp_axes_keepdims", 1, [](const auto& x) { return tg::logsumexp(x[0], {0, 1}, true); }, reducible),
      op("var", 1, [](const auto& x) { return tg::var(x[0]); }, reducible),
      op("var_unbiased_axes_keepdims", 1, [](const auto& x) { return tg::var(x[0], {0, -1}, true, true); }, reducible),
      op("broadcast_to", 1, [](const auto& x) { return tg::broadcast_to(x[0], {2, 3, 4}); },
         {{Shape{3, 1}}, {Shape{4}}, {Shape{}}}),
      op("sum_to", 1, [](const auto& x) { return tg::sum_to(x[0], {3, 1}); },
         {{Shape{2, 3, 4}}, {Shape{3, 4}}, {Shape{3, 1}}}),
      // shape
      op("reshape", 1, [](const auto& x) { return tg::reshape(x[0], {6, 4}); }, {{Shape{2, 3, 4}}, {Shape{24}}}),
      op("transpose", 1, [](const auto& x) { return tg::transpose(x[0]); }, {{Shape{3, 4}}, {Shape{2, 3, 4}}}),
      op("permute", 1, [](const auto& x) { return tg::permute(x[0], {2, 0, 1}); }, three_axes),
      op("permute_negative_axes", 1, [](const auto& x) { return tg::permute(x[0], {-1, 0, -2}); }, three_axes),
      op("slice", 1, [](const auto& x) { return tg::slice(x[0], {{1, 3}, {0, Slice::End, 2}}); }, {{Shape{4, 5}}}),
      op("slice_negative", 1, [](const auto& x) { return tg::slice(x[0], {{-3, -1}}); },
         {{Shape{4, 5}}, {Shape{3}}}),
      op("pad_slice", 1, [](const auto& x) { return tg::pad_slice(x[0], {4, 5}, {{1, 3}, {0, Slice::End, 2}}); },
         {{Shape{2, 3}}}),
      op("concat", 3, [](const auto& x) { return tg::concat(x, 0); }, {{Shape{2, 3}, Shape{1, 3}, Shape{4, 3}}}),
      op("concat_last_axis", 2, [](const auto& x) { return tg::concat(x, -1); }, {{Shape{2, 1}, Shape{2, 3}}}),
      op("stack", 3, [](const auto& x) { return tg::stack(x, 0); }, {{Shape{2, 3}, Shape{2, 3}, Shape{2, 3}}}),
      op("stack_last_axis", 2, [](const auto& x) { return tg::stack(x, -1); }, {{Shape{3}, Shape{3}}}),
      // matmul: 1-D, 2-D, batched, broadcast batch, operands read transposed
      op("matmul", 2, [](const auto& x) { return tg::matmul(x[0], x[1]); },
         {{Shape{2, 3}, Shape{3, 4}},
          {Shape{3}, Shape{3}},
          {Shape{3}, Shape{3, 2}},
          {Shape{2, 3}, Shape{3}},
          {Shape{2, 2, 3}, Shape{2, 3, 2}},
          {Shape{2, 1, 2, 3}, Shape{3, 3, 2}},
          {Shape{2, 2, 3}, Shape{3}}}),
      op("matmul_transpose_a", 2, [](const auto& x) { return tg::matmul(x[0], x[1], {.transpose_a = true}); },
         {{Shape{3, 2}, Shape{3, 4}}, {Shape{2, 3, 2}, Shape{3, 2}}, {Shape{3, 2}, Shape{3}}}),
      op("matmul_transpose_b", 2,
         [](const auto& x) { return tg::matmul(x[0], x[1], {.transpose_a = false, .transpose_b = true}); },
         {{Shape{2, 3}, Shape{4, 3}}, {Shape{2, 2, 3}, Shape{1, 4, 3}}, {Shape{3}, Shape{4, 3}}}),
      op("matmul_transpose_both", 2,
         [](const auto& x) { return tg::matmul(x[0], x[1], {.transpose_a = true, .transpose_b = true}); },
         {{Shape{3, 2}, Shape{4, 3}}, {Shape{2, 3, 2}, Shape{2, 4, 3}}}),
      // indexed reads: blocks of 2 elements
      op("gather", 1, [](const auto& x) { return tg::gather(x[0], sample_index(), {2, 4}, 2); }, {{Shape{4, 3}}}),
      op("scatter_add", 1, [](const auto& x) { return tg::scatter_add(x[0], sample_index(), {4, 3}, 2); },
         {{Shape{4, 2}}}),
      // convolution and pooling on NCHW: batch > 1, non-square inputs and kernels, stride, padding, dilation
      op("im2col", 1,
         [](const auto& x) {
           return tg::im2col(x[0], {.kernel = {2, 3}, .stride = {1, 2}, .padding = {1, 0}, .dilation = {2, 1}});
         },
         {{Shape{2, 2, 4, 5}}}),
      op("col2im", 1,
         [](const auto& x) {
           return tg::col2im(x[0], {.kernel = {2, 3}, .stride = {1, 2}, .padding = {1, 0}, .dilation = {2, 1}},
                             {2, 2, 4, 5});
         },
         {{Shape{12, 16}}}),
      op("conv2d", 3, [](const auto& x) { return tg::conv2d(x[0], x[1], x[2]); },
         {{Shape{2, 2, 4, 3}, Shape{3, 2, 2, 2}, Shape{3}}, {Shape{1, 1, 3, 3}, Shape{2, 1, 3, 3}, Shape{2}}}),
      op("conv2d_stride_padding_dilation", 3,
         [](const auto& x) {
           return tg::conv2d(x[0], x[1], x[2], {.stride = {2, 1}, .padding = {1, 2}, .dilation = {1, 2}});
         },
         {{Shape{2, 2, 5, 4}, Shape{2, 2, 3, 2}, Shape{2}}}),
      op("conv2d_no_bias", 2, [](const auto& x) { return tg::conv2d(x[0], x[1], {}, {.stride = 2, .padding = 1}); },
         {{Shape{2, 3, 3, 4}, Shape{2, 3, 2, 2}}}),
      op("max_pool2d", 1, [](const auto& x) { return tg::max_pool2d(x[0], {.kernel = 2}); },
         {{Shape{2, 2, 4, 4}}, {Shape{1, 3, 5, 3}}}, {real}, true),
      op("max_pool2d_stride_padding", 1,
         [](const auto& x) { return tg::max_pool2d(x[0], {.kernel = {3, 2}, .stride = {2, 1}, .padding = 1}); },
         {{Shape{2, 2, 5, 4}}}, {real}, true),
      op("avg_pool2d", 1, [](const auto& x) { return tg::avg_pool2d(x[0], {.kernel = 2}); },
         {{Shape{2, 2, 4, 4}}, {Shape{1, 3, 5, 3}}}),
      op("avg_pool2d_stride_padding", 1,
         [](const auto& x) { return tg::avg_pool2d(x[0], {.kernel = {3, 2}, .stride = {2, 1}, .padding = 1}); },
         {{Shape{2, 2, 5, 4}}}),
      // normalization (training-mode batch statistics) and embedding lookup, from nn
      op("batch_norm", 3, [](const auto& x) { return tg::nn::batch_norm(x[0], {}, {}, x[1], x[2], true); },
         {{Shape{3, 2, 2, 2}, Shape{2}, Shape{2}}, {Shape{4, 3}, Shape{3}, Shape{3}}}),
      op("layer_norm", 3, [](const auto& x) { return tg::nn::layer_norm(x[0], {3}, x[1], x[2]); },
         {{Shape{4, 3}, Shape{3}, Shape{3}}, {Shape{2, 2, 3}, Shape{3}, Shape{3}}}),
      op("layer_norm_two_axes", 1, [](const auto& x) { return tg::nn::layer_norm(x[0], {2, 3}); }, {{Shape{2, 2, 3}}}),
      op("embedding", 1, [](const auto& x) { return tg::nn::embedding(x[0], {2, 0, 2, 1}); }, {{Shape{3, 2}}}),
      // recurrent cells (batch 2, input 3, hidden 2) and the fused steps they run, some rows ended
      op("lstm_cell", 7,
         [](const auto& x) {
           const auto s = nn::lstm_cell(x[0], {x[1], x[2]}, x[3], x[4], x[5], x[6]);
           return concat({s.h, s.c}, 1);
         },
         {{Shape{2, 3}, Shape{2, 2}, Shape{2, 2}, Shape{8, 3}, Shape{8, 2}, Shape{8}, Shape{8}}}),
      op("lstm_cell_no_bias", 5,
         [](const auto& x) {
           const auto s = nn::lstm_cell(x[0], {x[1], x[2]}, x[3], x[4], {}, {});
           return concat({s.h, s.c}, 1);
         },
         {{Shape{2, 3}, Shape{2, 2}, Shape{2, 2}, Shape{8, 3}, Shape{8, 2}}}),
      op("gru_cell", 6, [](const auto& x) { return nn::gru_cell(x[0], x[1], x[2], x[3], x[4], x[5]); },
         {{Shape{2, 3}, Shape{2, 2}, Shape{6, 3}, Shape{6, 2}, Shape{6}, Shape{6}}}),
      op("gru_cell_no_bias", 4, [](const auto& x) { return nn::gru_cell(x[0], x[1], x[2], x[3], {}, {}); },
         {{Shape{2, 3}, Shape{2, 2}, Shape{6, 3}, Shape{6, 2}}}),
      op("rnn_tanh_cell", 6, [](const auto& x) { return nn::rnn_tanh_cell(x[0], x[1], x[2], x[3], x[4], x[5]); },
         {{Shape{2, 3}, Shape{2, 2}, Shape{2, 3}, Shape{2, 2}, Shape{2}, Shape{2}}}),
      op("rnn_relu_cell", 4, [](const auto& x) { return nn::rnn_relu_cell(x[0], x[1], x[2], x[3], {}, {}); },
         {{Shape{2, 3}, Shape{2, 2}, Shape{2, 3}, Shape{2, 2}}}),
      op("lstm_sequence", 6, [](const auto& x) { return lstm_sequence(x[0], x[1], x[2], x[3], x[4], x[5]); },
         {{Shape{3, 2, 3}, Shape{2, 4}, Shape{8, 3}, Shape{8, 2}, Shape{8}, Shape{8}}}),
      op("lstm_sequence_lengths", 4,
         [](const auto& x) { return lstm_sequence(x[0], x[1], x[2], x[3], {}, {}, sample_lengths(false)); },
         {{Shape{3, 3, 2}, Shape{3, 4}, Shape{8, 2}, Shape{8, 2}}}),
      op("lstm_sequence_reverse_lengths", 6,
         [](const auto& x) { return lstm_sequence(x[0], x[1], x[2], x[3], x[4], x[5], sample_lengths(true)); },
         {{Shape{3, 3, 2}, Shape{3, 4}, Shape{8, 2}, Shape{8, 2}, Shape{8}, Shape{8}}}),
      op("gru_sequence_lengths", 6,
         [](const auto& x) { return gru_sequence(x[0], x[1], x[2], x[3], x[4], x[5], sample_lengths(false)); },
         {{Shape{3, 3, 2}, Shape{3, 2}, Shape{6, 2}, Shape{6, 2}, Shape{6}, Shape{6}}}),
      op("gru_sequence_reverse", 4,
         [](const auto& x) { return gru_sequence(x[0], x[1], x[2], x[3], {}, {}, {.reverse = true}); },
         {{Shape{3, 2, 3}, Shape{2, 2}, Shape{6, 3}, Shape{6, 2}}}),
      op("rnn_tanh_sequence_reverse_lengths", 6,
         [](const auto& x) {
           return rnn_sequence(x[0], x[1], x[2], x[3], x[4], x[5], RNNNonlinearity::Tanh, sample_lengths(true));
         },
         {{Shape{3, 3, 2}, Shape{3, 2}, Shape{2, 2}, Shape{2, 2}, Shape{2}, Shape{2}}}),
      op("rnn_relu_sequence_lengths", 4,
         [](const auto& x) {
           return rnn_sequence(x[0], x[1], x[2], x[3], {}, {}, RNNNonlinearity::ReLU, sample_lengths(false));
         },
         {{Shape{3, 3, 2}, Shape{3, 2}, Shape{2, 2}, Shape{2, 2}}}),
      op("mdlstm_grid", 3, [](const auto& x) { return mdlstm_grid(x[0], x[1], x[2]); },
         {{Shape{2, 3, 2, 10}, Shape{10, 4}, Shape{10}}, {Shape{1, 2, 1, 5}, Shape{5, 2}, Shape{5}}}),
      op("mdlstm_grid_no_bias", 2, [](const auto& x) { return mdlstm_grid(x[0], x[1], {}); },
         {{Shape{3, 2, 2, 5}, Shape{5, 2}}}),
      // softmax
      op("softmax", 1, [](const auto& x) { return tg::softmax(x[0], -1); }, {{Shape{3, 4}}, {Shape{5}}}),
      op("softmax_axis0", 1, [](const auto& x) { return tg::softmax(x[0], 0); }, {{Shape{3, 4}}}),
      op("log_softmax", 1, [](const auto& x) { return tg::log_softmax(x[0], -1); }, {{Shape{3, 4}}, {Shape{5}}}),
      op("log_softmax_axis0", 1, [](const auto& x) { return tg::log_softmax(x[0], 0); }, {{Shape{3, 4}}}),
  };
}

}  // namespace

const std::vector<OpCase>& op_table() {
  static const std::vector<OpCase> table = make_table();
  return table;
}

std::vector<TensorD> sample_inputs(const OpCase& op, const std::vector<Shape>& shapes, std::uint64_t seed) {
  // Far enough from a kink or a tie that eps-sized steps never cross it.
  constexpr double kink_margin = 0.05, tie_margin = 0.02;
  Generator gen(seed);
  std::vector<double> drawn;
  auto acceptable = [&](double v, const Domain& domain) {
    for (double k : domain.kinks)
      if (std::abs(v - k) < kink_margin) return false;
    if (op.distinct)
      for (double d : drawn)
        if (std::abs(v - d) < tie_margin) return false;
    return true;
  };
  std::vector<TensorD> inputs;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const Domain& domain = op.domains[i];
    xt::xarray<double> values = xt::xarray<double>::from_shape(shapes[i]);
    for (double& v : values) {
      do v = domain.lo + (domain.hi - domain.lo) * gen.uniform();
      while (!acceptable(v, domain));
      drawn.push_back(v);
    }
    inputs.push_back(TensorD::from(std::move(values), true));
  }
  return inputs;
}

}  // namespace tg::testing
