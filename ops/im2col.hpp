#pragma once
// im2col unrolls every window position of an NCHW tensor into a column, so that a convolution
// becomes one matrix product; col2im is its transpose, adding each column back where it was
// read from. Each is the other's gradient rule.
#include "autograd/tensor.hpp"
#include "ops/window.hpp"

namespace tg {

// x (N,C,H,W) -> (C*KH*KW, N*OH*OW): row (c,kh,kw), column (n,oh,ow) holds the input element
// that kernel position (kh,kw) of channel c reads at output position (oh,ow) of sample n;
// zero where that lies in the padding.
template <class T> BasicTensor<T> im2col(const BasicTensor<T>& x, const Window2d& window);

// The transpose of im2col for an input of shape `input` (N,C,H,W): every entry of `cols` is
// added into the input element it was read from.
template <class T> BasicTensor<T> col2im(const BasicTensor<T>& cols, const Window2d& window, const Shape& input);

namespace detail {
// im2col's loop on raw arrays, recording nothing: `image` of shape `input` (N,C,H,W) into
// `cols` (C*KH*KW rows of N*OH*OW), for kernels that unroll a few samples at a time.
template <class T> void im2col_into(const T* image, const Shape& input, const Window2d& window, T* cols);
}  // namespace detail

}  // namespace tg
