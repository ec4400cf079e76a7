#include "ops/pool.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "autograd/record.hpp"
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

// The range [lo, hi) of input positions along one axis that the window starting at output
// position o covers, padding left out. Padding is at most half a kernel and windows start
// inside the padded input, so the range is never empty.
struct Span {
  std::size_t lo;
  std::size_t hi;
};
Span window_span(std::size_t o, std::size_t stride, std::size_t padding, std::size_t kernel, std::size_t extent) {
  const std::size_t start = o * stride;  // in padded coordinates
  return {start < padding ? 0 : start - padding, std::min(start + kernel - padding, extent)};
}

// The largest element of each window of x (N,C,H,W) into `values` and, when `positions` is not
// null, its flat position in x (the first largest; a NaN wins and propagates).
template <class T>
void max_windows(const xt::xarray<T>& x, const Window2d& wd, Size2d out, T* values, std::size_t* positions) {
  const std::size_t planes = x.shape()[0] * x.shape()[1], height = x.shape()[2], width = x.shape()[3];
  for (std::size_t p = 0; p < planes; ++p) {
    const std::size_t base = p * height * width;
    const T* plane = x.data() + base;
    for (std::size_t oh = 0; oh < out.h; ++oh) {
      const Span rows = window_span(oh, wd.stride.h, wd.padding.h, wd.kernel.h, height);
      for (std::size_t ow = 0; ow < out.w; ++ow) {
        const Span cols = window_span(ow, wd.stride.w, wd.padding.w, wd.kernel.w, width);
        std::size_t best = rows.lo * width + cols.lo;
        for (std::size_t ih = rows.lo; ih < rows.hi; ++ih)
          for (std::size_t i = ih * width + cols.lo, end = ih * width + cols.hi; i < end; ++i)
            if (plane[i] > plane[best] || plane[i] != plane[i]) best = i;
        *values++ = plane[best];
        if (positions) *positions++ = base + best;
      }
    }
  }
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
  max_windows(x.value(), window, out, y.data(), positions ? positions->data() : nullptr);
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
