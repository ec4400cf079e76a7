// Must not compile: gradcheck and gradgradcheck of float tensors (finite differences in float
// are too coarse to judge a gradient). tests/expect_compile_error.py checks the messages.
#include "tapegrad.hpp"

int main() {
  const auto x = tg::Tensor::from({1.0f, 2.0f}, true);
  const auto fn = [](const std::vector<tg::Tensor>& in) { return tg::exp(in[0]); };
  tg::gradcheck(fn, {x});
  tg::gradgradcheck(fn, {x});
}
