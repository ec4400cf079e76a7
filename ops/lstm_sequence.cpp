#include "autograd/record.hpp"
#include "ops/activation.hpp"
#include "ops/math.hpp"
#include "ops/matmul.hpp"
#include "ops/rnn_kernel.hpp"

namespace tg {
namespace {

using detail::columns;

// One step's gradients in tg ops, recomputing its gates from the inputs (create_graph).
template <class T>
Grads<T> lstm_step_grads_recorded(const BasicTensor<T>& g, const BasicTensor<T>& x, const BasicTensor<T>& state,
                                  const BasicTensor<T>& w, const BasicTensor<T>& b, const BasicTensor<T>& mask) {
  const std::size_t H = w.shape()[1];
  const auto h = columns(state, 0, H), c = columns(state, H, H);
  auto a = x + matmul(h, w, {.transpose_b = true});
  if (b.defined()) a = a + b;
  const auto i = sigmoid(columns(a, 0, H)), f = sigmoid(columns(a, H, H)), gg = tanh(columns(a, 2 * H, H)),
             o = sigmoid(columns(a, 3 * H, H));
  const auto t = tanh(f * c + i * gg);
  const auto gm = mask.defined() ? g * mask : g;
  const auto gh = columns(gm, 0, H);
  const auto dc = columns(gm, H, H) + gh * o * rsub(T(1), square(t));
  const auto da = concat<T>({dc * gg * i * rsub(T(1), i), dc * c * f * rsub(T(1), f), dc * i * rsub(T(1), square(gg)),
                             gh * t * o * rsub(T(1), o)},
                            1);
  auto dstate = concat<T>({matmul(da, w), dc * f}, 1);
  if (mask.defined()) dstate = dstate + g * rsub(T(1), mask);
  return {da, dstate, matmul(da, h, {.transpose_a = true}), b.defined() ? da : BasicTensor<T>()};
}

}  // namespace

template <class T>
BasicTensor<T> lstm_sequence(const BasicTensor<T>& x, const BasicTensor<T>& state0, const BasicTensor<T>& w_ih,
                             const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                             const SequenceOptions& options) {
  const auto n = detail::check_sequence("lstm_sequence", x, state0, w_ih, w_hh, b_ih, b_hh, 4, 2, options);
  const std::size_t S = n.steps, B = n.batch, H = n.hidden;
  // Per step and row: the gate values i, f, g, o and then tanh(c'), kept for the gradient; the
  // first 4H start as the input's share of the gates.
  xt::xarray<T> gates = xt::xarray<T>::from_shape({S, B, 5 * H});
  detail::input_product(n, x, w_ih, b_ih, gates.data(), 5 * H);
  xt::xarray<T> out = xt::xarray<T>::from_shape(detail::output_shape(n));
  for (std::size_t k = 0; k < S; ++k) {
    const std::size_t t = n.time(k);
    const T* prev = detail::previous_state(n, k, state0.value().data(), out.data());
    T* gates_t = gates.data() + t * B * 5 * H;
    detail::add_recurrent_product(n, prev, w_hh, b_hh, gates_t, 5 * H);
    for (std::size_t r = 0; r < B; ++r) {
      T* a = gates_t + r * 5 * H;
      T* h2 = out.data() + (t * B + r) * 2 * H;
      T* c2 = h2 + H;
      const T* c = prev + r * 2 * H + H;
      if (!n.active(t, r)) {
        std::copy_n(prev + r * 2 * H, 2 * H, h2);
        std::fill_n(a, 5 * H, T(0));
        continue;
      }
      detail::sigmoid_in_place(a, 2 * H);
      detail::tanh_in_place(a + 2 * H, H);
      detail::sigmoid_in_place(a + 3 * H, H);
      for (std::size_t j = 0; j < H; ++j) c2[j] = a[H + j] * c[j] + a[j] * a[2 * H + j];
      std::copy_n(c2, H, a + 4 * H);
      detail::tanh_in_place(a + 4 * H, H);
      for (std::size_t j = 0; j < H; ++j) h2[j] = a[3 * H + j] * a[4 * H + j];
    }
  }
  auto saved_gates = make_tensor<T>(std::move(gates));
  return record<T>(
      {.name = "lstm_sequence",
       .inputs = {x, state0, w_ih, w_hh, b_ih, b_hh},
       .save = {x, state0, w_ih, w_hh, b_ih, b_hh, saved_gates},
       .save_output = true},
      std::move(out), [n](const BasicTensor<T>& grad, const Saved<T>& saved) {
        if (GradMode::enabled())
          return detail::sequence_grads_recorded<T>(n, grad, saved[0], saved[1], saved.output(), saved[2], saved[3],
                                                    saved[4], saved[5], lstm_step_grads_recorded<T>);
        const std::size_t S = n.steps, B = n.batch, H = n.hidden;
        const T* state0 = saved[1].value().data();
        const T* out = saved.output().value().data();
        xt::xarray<T> da = xt::zeros<T>({S, B, 4 * H});        // of the gates' arguments
        xt::xarray<T> carry = xt::zeros<T>({B, 2 * H});  // the gradient reaching the state a step started from
        for (std::size_t k = S; k-- > 0;) {
          const std::size_t t = n.time(k);
          const T* g = grad.value().data() + t * B * 2 * H;
          const T* prev = detail::previous_state(n, k, state0, out);
          for (std::size_t r = 0; r < B; ++r) {
            T* dprev = carry.data() + r * 2 * H;
            const T* gr = g + r * 2 * H;
            if (!n.active(t, r)) {  // the state passed through unchanged
              for (std::size_t j = 0; j < 2 * H; ++j) dprev[j] += gr[j];
              continue;
            }
            const T* a = saved[6].value().data() + (t * B + r) * 5 * H;
            const T* c = prev + r * 2 * H + H;
            T* d = da.data() + (t * B + r) * 4 * H;
            for (std::size_t j = 0; j < H; ++j) {
              const T i = a[j], f = a[H + j], gg = a[2 * H + j], o = a[3 * H + j], th = a[4 * H + j];
              const T gh = gr[j] + dprev[j], dc = gr[H + j] + dprev[H + j] + gh * o * (T(1) - th * th);
              d[j] = dc * gg * i * (T(1) - i);
              d[H + j] = dc * c[j] * f * (T(1) - f);
              d[2 * H + j] = dc * i * (T(1) - gg * gg);
              d[3 * H + j] = gh * th * o * (T(1) - o);
              dprev[j] = T(0);
              dprev[H + j] = dc * f;
            }
          }
          detail::gemm(false, false, B, H, 4 * H, T(1), da.data() + t * B * 4 * H, 4 * H, saved[3].value().data(), H,
                       T(1), carry.data(), 2 * H);
        }
        auto in = detail::input_grads(n, da, saved[0], saved[2], saved.needs(0), saved.needs(2), saved.needs(4));
        auto rec = detail::recurrent_weight_grads(n, da, state0, out, saved.needs(3), saved.needs(5));
        return Grads<T>{in[0], make_tensor<T>(std::move(carry)), in[1], rec[0], in[2], rec[1]};
      });
}

template BasicTensor<float> lstm_sequence(const BasicTensor<float>&, const BasicTensor<float>&,
                                          const BasicTensor<float>&, const BasicTensor<float>&,
                                          const BasicTensor<float>&, const BasicTensor<float>&,
                                          const SequenceOptions&);
template BasicTensor<double> lstm_sequence(const BasicTensor<double>&, const BasicTensor<double>&,
                                           const BasicTensor<double>&, const BasicTensor<double>&,
                                           const BasicTensor<double>&, const BasicTensor<double>&,
                                           const SequenceOptions&);

}  // namespace tg
