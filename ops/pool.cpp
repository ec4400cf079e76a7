#include "ops/pool.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

#include "autograd/record.hpp"
#include "ops/cpu/parallel.hpp"
#include "ops/gather.hpp"
#include "ops/im2col.hpp"
#include "ops/reduce.hpp"
#include "ops/shape.hpp"

namespace tg {
namespace {

// The window of a pooling, checked as PyTorch does: padding at most half the kernel.
Window2d pool_window(const Pool2dOptions& options, const char* op) {
  const Window2d window{.kernel = options.kernel,
                        .stride = options.stride == Size2d(0) ? options.kernel : options.stride,
                        .padding = options.padding};
  if (2 * window.padding.h > window.kernel.h || 2 * window.padding.w > window.kernel.w)
    throw Error(std::string(op) + ": the padding " + size2d_str(window.padding) +
                " must be at most half the kernel " + size2d_str(window.kernel));
  return window;
}

// The largest element of each window of x (N,C,H,W) into `values` and, with Positions, its
// flat position in x: the first largest, in row-major order within the window; a NaN wins and
// propagates; padding never wins. One output row at a time, each kernel position compared
// against the whole row: an inner loop over output columns that the compiler vectorizes. The
// planes are independent and shared out between threads.
template <bool Positions, class T>
void max_windows(const xt::xarray<T>& x, const Window2d& wd, Size2d out, T* values, std::size_t* positions) {
  const std::size_t planes = x.shape()[0] * x.shape()[1], height = x.shape()[2], width = x.shape()[3];
  const auto offset = [](std::size_t k, std::size_t padding) {
    return static_cast<std::ptrdiff_t>(k) - static_cast<std::ptrdiff_t>(padding);
  };
  const std::size_t sw = wd.stride.w, out_plane = out.h * out.w;
  const auto plane_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t p = begin; p < end; ++p) {
      const std::size_t base = p * height * width;
      const T* plane = x.data() + base;
      T* row_values = values + p * out_plane;
      std::size_t* row_positions = Positions ? positions + p * out_plane : nullptr;
      for (std::size_t oh = 0; oh < out.h; ++oh, row_values += out.w) {
        std::fill(row_values, row_values + out.w, -std::numeric_limits<T>::infinity());
        if constexpr (Positions) {
          // Until an element beats -inf, a window's answer is its first element. Padding is at
          // most half a kernel and windows start inside the padded input: each has one.
          const std::size_t ih = std::max(oh * wd.stride.h, wd.padding.h) - wd.padding.h;
          for (std::size_t ow = 0; ow < out.w; ++ow)
            row_positions[ow] = base + ih * width + std::max(ow * sw, wd.padding.w) - wd.padding.w;
        }
        for (std::size_t kh = 0; kh < wd.kernel.h; ++kh) {
          const std::ptrdiff_t ih = static_cast<std::ptrdiff_t>(oh * wd.stride.h) + offset(kh, wd.padding.h);
          if (ih < 0 || ih >= static_cast<std::ptrdiff_t>(height)) continue;
          for (std::size_t kw = 0; kw < wd.kernel.w; ++kw) {
            const std::ptrdiff_t dw = offset(kw, wd.padding.w);
            const OutputRange cols = outputs_inside(dw, sw, width, out.w);
            if (cols.lo == cols.hi) continue;
            // The input element of output column ow is at start + (ow - cols.lo) * sw in the plane.
            const std::size_t start = static_cast<std::size_t>(ih * static_cast<std::ptrdiff_t>(width) + dw +
                                                               static_cast<std::ptrdiff_t>(cols.lo * sw));
            for (std::size_t ow = cols.lo, i = start; ow < cols.hi; ++ow, i += sw) {
              const T v = plane[i];
              const bool wins = (v > row_values[ow]) | (v != v);
              row_values[ow] = wins ? v : row_values[ow];
              if constexpr (Positions) row_positions[ow] = wins ? base + i : row_positions[ow];
            }
          }
        }
        if constexpr (Positions) row_positions += out.w;
      }
    }
  };
  detail::parallel_for(planes, wd.kernel.h * wd.kernel.w * out_plane, plane_range);
}

}  // namespace

template <class T>
BasicTensor<T> max_pool2d(const BasicTensor<T>& x, const Pool2dOptions& options) {
  const Window2d window = pool_window(options, "max_pool2d");
  const Shape in = x.shape();
  const Size2d out = window_output(window, in, "max_pool2d");
  xt::xarray<T> y = xt::xarray<T>::from_shape({in[0], in[1], out.h, out.w});
  // The positions are the gradient's only need: found only when one will be taken.
  std::shared_ptr<std::vector<std::size_t>> positions;
  if (any_requires_grad<T>({x})) positions = std::make_shared<std::vector<std::size_t>>(y.size());
  if (positions) max_windows<true>(x.value(), window, out, y.data(), positions->data());
  else max_windows<false>(x.value(), window, out, y.data(), nullptr);
  return record<T>({.name = "max_pool2d", .inputs = {x}}, std::move(y),
                   [index = Index(positions), in](const BasicTensor<T>& g, const Saved<T>&) {
                     return Grads<T>{scatter_add(g, index, in)};
                   });
}

// Every plane is a one-channel image: the mean of its im2col columns is the pooling.
template <class T>
BasicTensor<T> avg_pool2d(const BasicTensor<T>& x, const Pool2dOptions& options) {
  const Window2d window = pool_window(options, "avg_pool2d");
  const Shape in = x.shape();
  const Size2d out = window_output(window, in, "avg_pool2d");
  const BasicTensor<T> cols = im2col(reshape(x, {in[0] * in[1], 1, in[2], in[3]}), window);
  return reshape(mean(cols, {0}), {in[0], in[1], out.h, out.w});
}

#define TG_INSTANTIATE(T)                                                          \
  template BasicTensor<T> max_pool2d(const BasicTensor<T>&, const Pool2dOptions&); \
  template BasicTensor<T> avg_pool2d(const BasicTensor<T>&, const Pool2dOptions&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg
