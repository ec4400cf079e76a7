// W2's layers at batch 16: Conv 1->64 k3 on 28x28, MaxPool 2 on 64x26x26, Conv 64->128 k3 on
// 13x13. Convolution rates are in flops, pooling rates in input elements.
#include <string>

#include "bench/micro.hpp"

namespace {

constexpr std::size_t batch = 16;

void register_conv(const std::string& name, std::size_t in, std::size_t out, std::size_t side) {
  const std::size_t out_side = side - 2;
  bench::register_op("conv/" + name + "/batch" + std::to_string(batch),
                     [](const auto& x) { return tg::conv2d(x[0], x[1], x[2]); },
                     {bench::input({batch, in, side, side}), bench::input({out, in, 3, 3}), bench::input({out})},
                     2.0 * double(batch * out * out_side * out_side * in * 9), "flops");
}

[[maybe_unused]] const bool registered = [] {
  register_conv("conv1x28x28_64k3", 1, 64, 28);
  bench::register_op("conv/max_pool2_64x26x26/batch" + std::to_string(batch),
                     [](const auto& x) { return tg::max_pool2d(x[0], {.kernel = 2}); },
                     {bench::input({batch, 64, 26, 26})}, double(batch * 64 * 26 * 26));
  register_conv("conv64x13x13_128k3", 64, 128, 13);
  return true;
}();

}  // namespace
