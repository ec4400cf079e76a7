#include "ops/pool.hpp"

#include <limits>

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

// The flat position in x (N,C,H,W) of the first largest element of each window.
template <class T>
Index argmax_positions(const xt::xarray<T>& x, const Window2d& wd, Size2d out) {
  const std::size_t planes = x.shape()[0] * x.shape()[1], height = x.shape()[2], width = x.shape()[3];
  auto positions = std::make_shared<std::vector<std::size_t>>(planes * out.h * out.w);
  std::size_t* at = positions->data();
  for (std::size_t p = 0; p < planes; ++p) {
    const std::size_t base = p * height * width;
    const T* plane = x.data() + base;
    for (std::size_t oh = 0; oh < out.h; ++oh)
      for (std::size_t ow = 0; ow < out.w; ++ow) {
        // Windows start inside the padded input and padding is at most half a kernel, so every
        // window holds at least one input element.
        std::size_t best = std::numeric_limits<std::size_t>::max();
        for (std::size_t kh = 0; kh < wd.kernel.h; ++kh) {
          const std::size_t ih = oh * wd.stride.h + kh;
          if (ih < wd.padding.h || ih - wd.padding.h >= height) continue;
          for (std::size_t kw = 0; kw < wd.kernel.w; ++kw) {
            const std::size_t iw = ow * wd.stride.w + kw;
            if (iw < wd.padding.w || iw - wd.padding.w >= width) continue;
            const std::size_t i = (ih - wd.padding.h) * width + (iw - wd.padding.w);
            if (best == std::numeric_limits<std::size_t>::max() || plane[i] > plane[best] || plane[i] != plane[i])
              best = i;  // NaN propagates
          }
        }
        *at++ = base + best;
      }
  }
  return positions;
}

}  // namespace

template <class T>
BasicTensor<T> max_pool2d(const BasicTensor<T>& x, const Pool2dOptions& options) {
  const Window2d window = pool_window(options, "max_pool2d");
  const Shape in = x.shape();
  const Size2d out = window_output(window, in, "max_pool2d");
  return gather(x, argmax_positions(x.value(), window, out), {in[0], in[1], out.h, out.w});
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
