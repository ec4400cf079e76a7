#include "ops/conv.hpp"

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/record.hpp"
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

}  // namespace

// The whole batch is one matrix product of the weight (O, C*KH*KW) with the im2col columns
// (C*KH*KW, N*OH*OW); each sample's block of the product is then moved into place with the
// bias added. The rule is built from differentiable operations on the same layout: a product
// with the columns for the weight, a product and col2im (a transposed convolution) for the input.
template <class T>
BasicTensor<T> conv2d(const BasicTensor<T>& x, const BasicTensor<T>& weight, const BasicTensor<T>& bias,
                      const Conv2dOptions& options) {
  check_conv_shapes(x, weight, bias);
  const Shape in = x.shape(), w = weight.shape();
  const Window2d window{
      .kernel = {w[2], w[3]}, .stride = options.stride, .padding = options.padding, .dilation = options.dilation};
  const Size2d out = window_output(window, in, "conv2d");
  const std::size_t n = in[0], channels = w[0], taps = w[1] * w[2] * w[3], plane = out.h * out.w;

  const BasicTensor<T> cols = im2col(x, window);  // on the tape when x requires grad: the rule differentiates it
  BasicTensor<T> product;
  {
    NoGradGuard values_only;
    product = matmul(reshape(weight, {channels, taps}), cols);
  }
  xt::xarray<T> y = xt::xarray<T>::from_shape({n, channels, out.h, out.w});
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t c = 0; c < channels; ++c) {
      const T* src = product.value().data() + (c * n + s) * plane;
      T* dst = y.data() + (s * channels + c) * plane;
      const T shift = bias.defined() ? bias.value()(c) : T(0);
      for (std::size_t i = 0; i < plane; ++i) dst[i] = src[i] + shift;
    }

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
