#pragma once
// What the fused recurrent sequences (ops/rnn_sequence.hpp) share: shape checks, the walk over
// the steps, the input product x W_ih^T + b_ih for all steps and the recurrent one h W_hh^T + b_hh
// for each, in-place gate nonlinearities, the gradients of both products, and the step-by-step
// driver of the rules written in tg ops. Internal to ops/.
#include <string>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>

#include "autograd/error.hpp"
#include "autograd/node.hpp"
#include "ops/arithmetic.hpp"
#include "ops/blas.hpp"
#include "ops/rnn_sequence.hpp"
#include "ops/shape.hpp"

namespace tg::detail {

// The sizes of a sequence: S steps of a batch of B, input size I, hidden size H, G gates,
// states of width W (H, or 2H for LSTM's [h | c]); and the order and lengths the steps run in.
struct SequenceSizes {
  std::size_t steps, batch, input, hidden, gates, width;
  bool single;  // the input was one step, (B, I)
  SequenceOptions options;

  std::size_t time(std::size_t k) const { return options.reverse ? steps - 1 - k : k; }  // the k-th step run
  bool active(std::size_t t, std::size_t row) const { return !options.lengths || t < (*options.lengths)[row]; }
  std::size_t gate_width() const { return gates * hidden; }
  std::size_t rows() const { return steps * batch; }
};

template <class T>
SequenceSizes check_sequence(const char* op, const BasicTensor<T>& x, const BasicTensor<T>& state0,
                             const BasicTensor<T>& w_ih, const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih,
                             const BasicTensor<T>& b_hh, std::size_t gates, std::size_t state_parts,
                             const SequenceOptions& options) {
  auto fail = [op](const std::string& what) { throw Error(std::string(op) + ": " + what); };
  const Shape wh = w_hh.shape(), wi = w_ih.shape(), sx = x.shape();
  if (wh.size() != 2 || wh[0] != gates * wh[1])
    fail("the recurrent weight must be (" + std::to_string(gates) + "*H, H), got shape " + shape_str(wh));
  const std::size_t H = wh[1], GH = gates * H;
  if (wi.size() != 2 || wi[0] != GH)
    fail("the input weight must be (" + std::to_string(GH) + ", I), got shape " + shape_str(wi));
  const std::size_t I = wi[1];
  const bool single = sx.size() == 2;
  if ((sx.size() != 2 && sx.size() != 3) || sx.back() != I)
    fail("the input must be (S, B, " + std::to_string(I) + ") or (B, " + std::to_string(I) + "), got shape " +
         shape_str(sx));
  const std::size_t S = single ? 1 : sx[0], B = sx[sx.size() - 2];
  if (state0.shape() != Shape{B, state_parts * H})
    fail("the initial state must be (" + std::to_string(B) + ", " + std::to_string(state_parts * H) +
         "), got shape " + shape_str(state0.shape()));
  for (const auto* b : {&b_ih, &b_hh})
    if (b->defined() && b->shape() != Shape{GH})
      fail("the biases must be (" + std::to_string(GH) + "), got shape " + shape_str(b->shape()));
  if (const auto& lengths = options.lengths) {
    if (lengths->size() != B)
      fail(std::to_string(lengths->size()) + " sequence lengths for a batch of " + std::to_string(B));
    for (std::size_t len : *lengths)
      if (len > S) fail("a sequence length of " + std::to_string(len) + " exceeds the " + std::to_string(S) + " steps");
  }
  return {S, B, I, H, gates, state_parts * H, single, options};
}

inline Shape output_shape(const SequenceSizes& n) {
  return n.single ? Shape{n.batch, n.width} : Shape{n.steps, n.batch, n.width};
}

// Adds b (when defined) to `rows` rows of `out`, each `width` long, ld_out apart.
template <class T>
void add_rows(const BasicTensor<T>& b, std::size_t rows, std::size_t width, T* out, std::size_t ld_out) {
  if (!b.defined()) return;
  const T* v = b.value().data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < width; ++j) out[r * ld_out + j] += v[j];
}

// Rows of `out` (ld_out) = x W_ih^T + b_ih for every step and batch row, in one product: the
// input's share of the gates.
template <class T>
void input_product(const SequenceSizes& n, const BasicTensor<T>& x, const BasicTensor<T>& w_ih,
                   const BasicTensor<T>& b_ih, T* out, std::size_t ld_out) {
  gemm(false, true, n.rows(), n.gate_width(), n.input, T(1), x.value().data(), n.input, w_ih.value().data(), n.input,
       T(0), out, ld_out);
  add_rows(b_ih, n.rows(), n.gate_width(), out, ld_out);
}

// The state a step starts from: the initial one for the first step run, else the previous result.
template <class T>
const T* previous_state(const SequenceSizes& n, std::size_t k, const T* state0, const T* out) {
  return k == 0 ? state0 : out + n.time(k - 1) * n.batch * n.width;
}

// Rows of `out` (ld_out) += b_hh + h W_hh^T for one step: the state's share of the gates.
template <class T>
void add_recurrent_product(const SequenceSizes& n, const T* h, const BasicTensor<T>& w_hh, const BasicTensor<T>& b_hh,
                           T* out, std::size_t ld_out) {
  add_rows(b_hh, n.batch, n.gate_width(), out, ld_out);
  gemm(false, true, n.batch, n.gate_width(), n.hidden, T(1), h, n.width, w_hh.value().data(), n.hidden, T(1), out,
       ld_out);
}

// In place over `count` contiguous elements, vectorized by xtensor.
template <class T>
void sigmoid_in_place(T* p, std::size_t count) {
  auto v = xt::adapt(p, count, xt::no_ownership(), std::array<std::size_t, 1>{count});
  xt::noalias(v) = T(1) / (T(1) + xt::exp(-v));
}

template <class T>
void tanh_in_place(T* p, std::size_t count) {
  auto v = xt::adapt(p, count, xt::no_ownership(), std::array<std::size_t, 1>{count});
  xt::noalias(v) = xt::tanh(v);
}

// The sums of the columns of a row-major (rows, cols) matrix: a bias's gradient.
template <class T>
xt::xarray<T> column_sums(const T* m, std::size_t rows, std::size_t cols) {
  xt::xarray<T> sums = xt::zeros<T>({cols});
  T* out = sums.data();
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t j = 0; j < cols; ++j) out[j] += m[r * cols + j];  // pointers, so the compiler vectorizes
  return sums;
}

// The gradients of W and b in a = h W^T + b over all steps, given da (S, B, G*H) and the results
// `out` the steps started from (after the first, which started from state0); unset if unwanted.
template <class T>
Grads<T> recurrent_weight_grads(const SequenceSizes& n, const xt::xarray<T>& da, const T* state0, const T* out,
                                bool want_w, bool want_b) {
  const std::size_t GH = n.gate_width(), H = n.hidden, B = n.batch, step = B * GH;
  Grads<T> grads(2);
  if (want_w) {
    xt::xarray<T> dw = xt::xarray<T>::from_shape({GH, H});
    gemm(true, false, GH, H, B, T(1), da.data() + n.time(0) * step, GH, state0, n.width, T(0), dw.data(), H);
    if (n.steps > 1) {  // step t started from result t - 1 (reverse: t + 1): one product for all of them
      const T* later_da = da.data() + (n.options.reverse ? 0 : step);
      const T* earlier_out = out + (n.options.reverse ? B * n.width : 0);
      gemm(true, false, GH, H, (n.steps - 1) * B, T(1), later_da, GH, earlier_out, n.width, T(1), dw.data(), H);
    }
    grads[0] = make_tensor<T>(std::move(dw));
  }
  if (want_b) {
    grads[1] = make_tensor<T>(column_sums(da.data(), n.steps * B, GH));
  }
  return grads;
}

// The gradients of x, W_ih and b_ih (those wanted; unset otherwise) given d, the gradient of
// the input's share of the gates, (S, B, G*H): three products over all steps at once.
template <class T>
Grads<T> input_grads(const SequenceSizes& n, const xt::xarray<T>& d, const BasicTensor<T>& x,
                     const BasicTensor<T>& w_ih, bool want_x, bool want_w, bool want_b) {
  const std::size_t GH = n.gate_width(), I = n.input;
  Grads<T> grads(3);
  if (want_x) {
    xt::xarray<T> dx = xt::xarray<T>::from_shape(x.value().shape());
    gemm(false, false, n.rows(), I, GH, T(1), d.data(), GH, w_ih.value().data(), I, T(0), dx.data(), I);
    grads[0] = make_tensor<T>(std::move(dx));
  }
  if (want_w) {
    xt::xarray<T> dw = xt::xarray<T>::from_shape({GH, I});
    gemm(true, false, GH, I, n.rows(), T(1), d.data(), GH, x.value().data(), I, T(0), dw.data(), I);
    grads[1] = make_tensor<T>(std::move(dw));
  }
  if (want_b) grads[2] = make_tensor<T>(column_sums(d.data(), n.rows(), GH));
  return grads;
}

// Columns [from, from + count) of a matrix, recorded: for the rules written in tg ops.
template <class T>
BasicTensor<T> columns(const BasicTensor<T>& x, std::size_t from, std::size_t count) {
  return slice(x, {Slice{}, Slice{std::ptrdiff_t(from), std::ptrdiff_t(from + count)}});
}

// One step's gradients in tg ops, from its upstream gradient g (B, W), its input gates x, the
// state it started from, the weights and a (B, 1) mask of the rows that took it (undefined: all):
// {d input gates, d state, d w_hh, d b_hh (any shape that sums to it, or undefined)}.
template <class T>
using StepGradsRecorded = Grads<T> (*)(const BasicTensor<T>& g, const BasicTensor<T>& x, const BasicTensor<T>& state,
                                       const BasicTensor<T>& w, const BasicTensor<T>& b, const BasicTensor<T>& mask);

// Backpropagation through time in tg ops, so that it can be differentiated again: the input's
// share of the gates recomputed from x, then step by step from the last one run, each step's
// state read from the operation's own (recorded) output. The gradients of x, state0, w_ih, w_hh,
// b_ih, b_hh.
template <class T>
Grads<T> sequence_grads_recorded(const SequenceSizes& n, const BasicTensor<T>& g, const BasicTensor<T>& x,
                                 const BasicTensor<T>& state0, const BasicTensor<T>& out, const BasicTensor<T>& w_ih,
                                 const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                                 StepGradsRecorded<T> step_grads) {
  const std::size_t GH = n.gate_width();
  auto at_step = [&](const BasicTensor<T>& t, std::size_t step, std::size_t width) {
    if (n.single) return t;
    return reshape(slice(t, {Slice{std::ptrdiff_t(step), std::ptrdiff_t(step + 1)}}), {n.batch, width});
  };
  const auto x_rows = reshape(x, {n.rows(), n.input});
  auto gates = matmul(x_rows, w_ih, {.transpose_b = true});
  if (b_ih.defined()) gates = gates + b_ih;
  gates = n.single ? gates : reshape(gates, {n.steps, n.batch, GH});
  std::vector<BasicTensor<T>> d_gates(n.steps);
  BasicTensor<T> carry, dw, db;
  for (std::size_t k = n.steps; k-- > 0;) {
    const std::size_t t = n.time(k);
    BasicTensor<T> mask;
    if (n.options.lengths) {
      xt::xarray<T> m = xt::xarray<T>::from_shape({n.batch, std::size_t(1)});
      for (std::size_t r = 0; r < n.batch; ++r) m(r, 0) = n.active(t, r) ? T(1) : T(0);
      mask = make_tensor<T>(std::move(m));
    }
    const auto gt = carry.defined() ? at_step(g, t, n.width) + carry : at_step(g, t, n.width);
    const auto state = k == 0 ? state0 : at_step(out, n.time(k - 1), n.width);
    auto grads = step_grads(gt, at_step(gates, t, GH), state, w_hh, b_hh, mask);
    d_gates[t] = grads[0];
    carry = grads[1];
    dw = dw.defined() ? dw + grads[2] : grads[2];
    if (grads[3].defined()) db = db.defined() ? db + grads[3] : grads[3];
  }
  const auto d_rows = n.single ? d_gates[0] : reshape(stack(d_gates, 0), {n.rows(), GH});
  return {reshape(matmul(d_rows, w_ih), x.shape()), carry, matmul(d_rows, x_rows, {.transpose_a = true}), dw,
          b_ih.defined() ? d_rows : BasicTensor<T>(), db};
}

}  // namespace tg::detail
