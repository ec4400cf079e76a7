#pragma once
// Checks a computation's tape gradients against central finite differences, in double, as
// PyTorch's gradcheck does; gradgradcheck does the same for the gradients' own gradients.
//
//   tg::gradcheck([](const std::vector<tg::TensorD>& in) { return tg::exp(in[0]) * in[1]; }, {x, y});
#include <functional>
#include <vector>

#include "autograd/tensor.hpp"

namespace tg {

struct GradcheckOptions {
  double eps = 1e-6;   // finite-difference step
  double atol = 1e-5;  // an element passes when |analytical - numerical| <= atol + rtol * |numerical|
  double rtol = 1e-3;
  bool raise = true;  // throw GradcheckError on a mismatch; otherwise return false
};

// A mismatch: the message names the input, the element, and the numerical and analytical values.
struct GradcheckError : Error {
  using Error::Error;
};

using GradcheckFn = std::function<std::vector<TensorD>(const std::vector<TensorD>&)>;
using GradcheckSingleFn = std::function<TensorD(const std::vector<TensorD>&)>;

// Compares d(fn outputs)/d(inputs) from the tape with central differences, for every input that
// requires grad. The inputs themselves are left untouched.
bool gradcheck(const GradcheckFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options = {});
bool gradcheck(const GradcheckSingleFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options = {});

// gradcheck of inputs -> grad(fn(inputs), inputs, v, create_graph), for fixed random v.
bool gradgradcheck(const GradcheckFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options = {});
bool gradgradcheck(const GradcheckSingleFn& fn, const std::vector<TensorD>& inputs,
                   const GradcheckOptions& options = {});

// Finite differences in float are too coarse to judge a gradient: float inputs do not compile.
template <class Fn>
bool gradcheck(Fn&&, const std::vector<Tensor>&, const GradcheckOptions& = {}) {
  static_assert(sizeof(Fn) == 0, "gradcheck: finite differences need double precision; pass tg::TensorD inputs "
                                 "(and a function of TensorD), not float tg::Tensor");
  return false;
}
template <class Fn>
bool gradgradcheck(Fn&&, const std::vector<Tensor>&, const GradcheckOptions& = {}) {
  static_assert(sizeof(Fn) == 0, "gradgradcheck: finite differences need double precision; pass tg::TensorD inputs "
                                 "(and a function of TensorD), not float tg::Tensor");
  return false;
}

}  // namespace tg
