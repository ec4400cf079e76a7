#include "ops/im2col.hpp"

#include <algorithm>
#include <type_traits>

#include "autograd/record.hpp"
#include "ops/cpu/parallel.hpp"

namespace tg {
namespace {

// Moves elements between an image (N,C,H,W) and its columns (C*KH*KW, N*OH*OW): copies into
// the columns (zero in the padding) or, for col2im, adds the columns into the image. Each
// (channel, sample) pair reads and writes its own image plane and column lines only, so the
// pairs are shared out between threads.
template <bool ToColumns, class T>
void transfer(std::conditional_t<ToColumns, const T*, T*> image, std::conditional_t<ToColumns, T*, const T*> cols,
              const Shape& in, const Window2d& wd, Size2d out) {
  const std::size_t n_samples = in[0], channels = in[1], height = in[2], width = in[3];
  const std::size_t plane = out.h * out.w, row_length = n_samples * plane;
  const auto offset = [](std::size_t k, std::size_t dilation, std::size_t padding) {
    return static_cast<std::ptrdiff_t>(k * dilation) - static_cast<std::ptrdiff_t>(padding);
  };
  const auto pairs = [&](std::size_t begin, std::size_t end) {
    for (std::size_t pair = begin; pair < end; ++pair) {
      const std::size_t c = pair / n_samples, n = pair % n_samples;
      const auto image_plane = image + (n * channels + c) * height * width;
      for (std::size_t kh = 0; kh < wd.kernel.h; ++kh) {
        const std::ptrdiff_t dh = offset(kh, wd.dilation.h, wd.padding.h);
        const OutputRange rows = outputs_inside(dh, wd.stride.h, height, out.h);
        for (std::size_t kw = 0; kw < wd.kernel.w; ++kw) {
          const std::ptrdiff_t dw = offset(kw, wd.dilation.w, wd.padding.w);
          const OutputRange cs = outputs_inside(dw, wd.stride.w, width, out.w);
          const auto line = cols + ((c * wd.kernel.h + kh) * wd.kernel.w + kw) * row_length + n * plane;
          if constexpr (ToColumns) {
            std::fill(line, line + rows.lo * out.w, T(0));
            std::fill(line + rows.hi * out.w, line + plane, T(0));
          }
          const std::size_t sw = wd.stride.w, count = cs.hi - cs.lo;
          for (std::size_t oh = rows.lo; oh < rows.hi; ++oh) {
            const auto col = line + oh * out.w;
            // The input element read at output column cs.lo, then every sw-th one.
            const std::ptrdiff_t ih = static_cast<std::ptrdiff_t>(oh * wd.stride.h) + dh;
            const std::ptrdiff_t iw = static_cast<std::ptrdiff_t>(cs.lo * sw) + dw;
            const auto pixel = image_plane + ih * static_cast<std::ptrdiff_t>(width) + iw;
            if constexpr (ToColumns) {
              std::fill(col, col + cs.lo, T(0));
              std::fill(col + cs.hi, col + out.w, T(0));
              if (sw == 1)
                std::copy(pixel, pixel + count, col + cs.lo);
              else
                for (std::size_t i = 0; i < count; ++i) col[cs.lo + i] = pixel[i * sw];
            } else {
              for (std::size_t i = 0; i < count; ++i) pixel[i * sw] += col[cs.lo + i];
            }
          }
        }
      }
    }
  };
  detail::parallel_for(channels * n_samples, wd.kernel.h * wd.kernel.w * plane, pairs);
}

Shape columns_shape(const Shape& in, const Window2d& window, Size2d out) {
  return {in[1] * window.kernel.h * window.kernel.w, in[0] * out.h * out.w};
}

}  // namespace

namespace detail {
template <class T>
void im2col_into(const T* image, const Shape& input, const Window2d& window, T* cols) {
  transfer<true, T>(image, cols, input, window, window_output(window, input, "im2col"));
}
}  // namespace detail

template <class T>
BasicTensor<T> im2col(const BasicTensor<T>& x, const Window2d& window) {
  const Shape in = x.shape();
  const Size2d out = window_output(window, in, "im2col");
  xt::xarray<T> cols = xt::xarray<T>::from_shape(columns_shape(in, window, out));
  transfer<true, T>(x.value().data(), cols.data(), in, window, out);
  return record<T>({.name = "im2col", .inputs = {x}}, std::move(cols),
                   [window, in](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{col2im(g, window, in)}; });
}

template <class T>
BasicTensor<T> col2im(const BasicTensor<T>& cols, const Window2d& window, const Shape& input) {
  const Size2d out = window_output(window, input, "col2im");
  const Shape expected = columns_shape(input, window, out);
  if (cols.shape() != expected)
    throw Error("col2im: columns of shape " + shape_str(cols.shape()) + " do not fit an input of shape " +
                shape_str(input) + " with kernel " + size2d_str(window.kernel) + "; expected " + shape_str(expected));
  xt::xarray<T> image = xt::zeros<T>(input);
  transfer<false, T>(image.data(), cols.value().data(), input, window, out);
  return record<T>({.name = "col2im", .inputs = {cols}}, std::move(image),
                   [window](const BasicTensor<T>& g, const Saved<T>&) { return Grads<T>{im2col(g, window)}; });
}

#define TG_INSTANTIATE(T)                                                            \
  template BasicTensor<T> im2col(const BasicTensor<T>&, const Window2d&);            \
  template BasicTensor<T> col2im(const BasicTensor<T>&, const Window2d&, const Shape&);       \
  template void detail::im2col_into(const T*, const Shape&, const Window2d&, T*);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
