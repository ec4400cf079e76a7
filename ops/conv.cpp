#include "ops/conv.hpp"

#include <algorithm>
#include <memory>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/record.hpp"
#include "ops/blas.hpp"
#include "ops/cpu/parallel.hpp"
#include "ops/im2col.hpp"
#include "ops/matmul.hpp"
#include "ops/shape.hpp"

namespace tg {
namespace {

template <class T>
void check_conv_shapes(const BasicTensor<T>& x, const BasicTensor<T>& weight, const BasicTensor<T>& bias) {
  const Shape in = x.shape(), w = weight.shape();
  if (in.size() != 4) throw Error("conv2d: the input must be (N,C,H,W), got shape " + shape_str(in));
  if (w.size() != 4) throw Error("conv2d: the weight must be (O,C,KH,KW), got shape " + shape_str(w));
  if (in[1] != w[1])
    throw Error("conv2d: input of shape " + shape_str(in) + " has " + std::to_string(in[1]) +
                " channels but weight of shape " + shape_str(w) + " expects " + std::to_string(w[1]));
  if (bias.defined() && bias.shape() != Shape{w[0]})
    throw Error("conv2d: bias of shape " + shape_str(bias.shape()) + " does not fit weight of shape " + shape_str(w) +
                "; expected (" + std::to_string(w[0]) + ")");
}

// Samples first..first+count of y (N,O,OH,OW) = bias + weight (O, taps) x their columns, which
// `cols` holds as (taps, count*OH*OW): one product for all of them into `product`
// (O, count*OH*OW), then each (sample, channel) row moved into its place with the bias added.
// One large product keeps every BLAS thread busy where one per sample (N = OH*OW columns, 121 in
// W2's second layer) left them waiting; the move is a pass over y that threads share.
template <class T>
void convolve_columns(const T* weight, const T* bias, const T* cols, std::size_t first, std::size_t count,
                      std::size_t channels, std::size_t taps, std::size_t plane, T* product, T* y) {
  const std::size_t columns = count * plane;
  if (columns == 0) return;
  if (taps == 0) std::fill(product, product + channels * columns, T(0));  // no input channels: the bias alone
  else detail::gemm(false, false, channels, columns, taps, T(1), weight, taps, cols, columns, T(0), product, columns);
  detail::parallel_for(count * channels, plane, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t s = i / channels, c = i % channels;
      const T* row = product + c * columns + s * plane;
      const T shift = bias ? bias[c] : T(0);
      T* out = y + ((first + s) * channels + c) * plane;
      for (std::size_t j = 0; j < plane; ++j) out[j] = row[j] + shift;
    }
  });
}

// Columns unrolled at a time when nothing is saved for a gradient: a buffer that stays in cache.
constexpr std::size_t inference_columns = std::size_t(1) << 19;

}  // namespace

// The weight (O, C*KH*KW) times the im2col columns (C*KH*KW, N*OH*OW), plus the bias, is the
// output, as (O, N*OH*OW) (convolve_columns above). When a gradient will be taken the columns of the
// whole batch are one recorded im2col, saved for the weight's gradient; otherwise a few samples
// are unrolled at a time. The rule is built from differentiable operations on the batch's
// columns: a product with them for the weight, a product and col2im (a transposed
// convolution) for the input.
template <class T>
BasicTensor<T> conv2d(const BasicTensor<T>& x, const BasicTensor<T>& weight, const BasicTensor<T>& bias,
                      const Conv2dOptions& options) {
  check_conv_shapes(x, weight, bias);
  const Shape in = x.shape(), w = weight.shape();
  const Window2d window{
      .kernel = {w[2], w[3]}, .stride = options.stride, .padding = options.padding, .dilation = options.dilation};
  const Size2d out = window_output(window, in, "conv2d");
  const std::size_t n = in[0], channels = w[0], taps = w[1] * w[2] * w[3], plane = out.h * out.w;

  xt::xarray<T> y = xt::xarray<T>::from_shape({n, channels, out.h, out.w});
  const T* kernel = weight.value().data();
  const T* shift = bias.defined() ? bias.value().data() : nullptr;

  if (!any_requires_grad<T>({x, weight, bias})) {
    const std::size_t chunk = std::max<std::size_t>(1, inference_columns / std::max<std::size_t>(1, taps * plane));
    const std::size_t most = std::min(chunk, n) * plane;
    const std::unique_ptr<T[]> cols(new T[taps * most]), product(new T[channels * most]);
    const std::size_t sample_size = in[1] * in[2] * in[3];
    for (std::size_t first = 0; first < n; first += chunk) {
      const std::size_t count = std::min(chunk, n - first);
      detail::im2col_into(x.value().data() + first * sample_size, {count, in[1], in[2], in[3]}, window, cols.get());
      convolve_columns(kernel, shift, cols.get(), first, count, channels, taps, plane, product.get(), y.data());
    }
    return make_tensor<T>(std::move(y));
  }

  const BasicTensor<T> cols = im2col(x, window);  // on the tape when x requires grad: the rule differentiates it
  const std::unique_ptr<T[]> product(new T[channels * n * plane]);
  convolve_columns(kernel, shift, cols.value().data(), 0, n, channels, taps, plane, product.get(), y.data());

  return record<T>({.name = "conv2d", .inputs = {x, weight, bias}, .save = {weight, cols}}, std::move(y),
                   [window, in, w, n, channels, taps, plane](const BasicTensor<T>& g, const Saved<T>& s) {
                     // The output gradient in the product's layout (O, N*OH*OW).
                     const BasicTensor<T> g2 = n == 1 ? reshape(g, {channels, plane})
                                                      : reshape(permute(g, {1, 0, 2, 3}), {channels, n * plane});
                     BasicTensor<T> gx, gw, gb;
                     if (s.needs(0))
                       gx = col2im(matmul(reshape(s[0], {channels, taps}), g2, {.transpose_a = true}), window, in);
                     if (s.needs(1)) gw = reshape(matmul(g2, s[1], {.transpose_b = true}), w);
                     // Row sums as a product with ones: BLAS, where a summing loop runs sequentially.
                     if (s.needs(2)) gb = matmul(g2, ones<T>({n * plane}));
                     return Grads<T>{gx, gw, gb};
                   });
}

template BasicTensor<float> conv2d(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&,
                                   const Conv2dOptions&);
template BasicTensor<double> conv2d(const BasicTensor<double>&, const BasicTensor<double>&, const BasicTensor<double>&,
                                    const Conv2dOptions&);

}  // namespace tg
