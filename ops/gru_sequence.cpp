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
Grads<T> gru_step_grads_recorded(const BasicTensor<T>& g, const BasicTensor<T>& x, const BasicTensor<T>& h,
                                 const BasicTensor<T>& w, const BasicTensor<T>& b, const BasicTensor<T>& mask) {
  const std::size_t H = w.shape()[1];
  auto hw = matmul(h, w, {.transpose_b = true});
  if (b.defined()) hw = hw + b;
  const auto hn = columns(hw, 2 * H, H);
  const auto r = sigmoid(columns(x, 0, H) + columns(hw, 0, H)), z = sigmoid(columns(x, H, H) + columns(hw, H, H));
  const auto n = tanh(columns(x, 2 * H, H) + r * hn);
  const auto gm = mask.defined() ? g * mask : g;
  const auto dn = gm * rsub(T(1), z) * rsub(T(1), square(n));
  const auto dr = dn * hn * r * rsub(T(1), r), dz = gm * (h - n) * z * rsub(T(1), z);
  const auto dhw = concat<T>({dr, dz, dn * r}, 1);
  auto dh = gm * z + matmul(dhw, w);
  if (mask.defined()) dh = dh + g * rsub(T(1), mask);
  return {concat<T>({dr, dz, dn}, 1), dh, matmul(dhw, h, {.transpose_a = true}), b.defined() ? dhw : BasicTensor<T>()};
}

}  // namespace

template <class T>
BasicTensor<T> gru_sequence(const BasicTensor<T>& x, const BasicTensor<T>& h0, const BasicTensor<T>& w_ih,
                            const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                            const SequenceOptions& options) {
  const auto n = detail::check_sequence("gru_sequence", x, h0, w_ih, w_hh, b_ih, b_hh, 3, 1, options);
  const std::size_t S = n.steps, B = n.batch, H = n.hidden;
  xt::xarray<T> inputs = xt::xarray<T>::from_shape({S, B, 3 * H});  // the input's share of the gates
  detail::input_product(n, x, w_ih, b_ih, inputs.data(), 3 * H);
  // Per step and row: r, z, n, then W_hn h + b_hn, n's recurrent share, kept for the gradient.
  xt::xarray<T> gates = xt::zeros<T>({S, B, 4 * H});
  xt::xarray<T> out = xt::xarray<T>::from_shape(detail::output_shape(n));
  for (std::size_t k = 0; k < S; ++k) {
    const std::size_t t = n.time(k);
    const T* prev = detail::previous_state(n, k, h0.value().data(), out.data());
    T* gates_t = gates.data() + t * B * 4 * H;
    detail::add_recurrent_product(n, prev, w_hh, b_hh, gates_t, 4 * H);
    for (std::size_t row = 0; row < B; ++row) {
      T* a = gates_t + row * 4 * H;
      T* h2 = out.data() + (t * B + row) * H;
      const T* h = prev + row * H;
      if (!n.active(t, row)) {
        std::copy_n(h, H, h2);
        std::fill_n(a, 4 * H, T(0));
        continue;
      }
      const T* xr = inputs.data() + (t * B + row) * 3 * H;
      std::copy_n(a + 2 * H, H, a + 3 * H);
      for (std::size_t j = 0; j < 2 * H; ++j) a[j] += xr[j];
      detail::sigmoid_in_place(a, 2 * H);
      for (std::size_t j = 0; j < H; ++j) a[2 * H + j] = xr[2 * H + j] + a[j] * a[3 * H + j];
      detail::tanh_in_place(a + 2 * H, H);
      for (std::size_t j = 0; j < H; ++j) h2[j] = (T(1) - a[H + j]) * a[2 * H + j] + a[H + j] * h[j];
    }
  }
  auto saved_gates = make_tensor<T>(std::move(gates));
  return record<T>(
      {.name = "gru_sequence",
       .inputs = {x, h0, w_ih, w_hh, b_ih, b_hh},
       .save = {x, h0, w_ih, w_hh, b_ih, b_hh, saved_gates},
       .save_output = true},
      std::move(out), [n](const BasicTensor<T>& grad, const Saved<T>& saved) {
        if (GradMode::enabled())
          return detail::sequence_grads_recorded<T>(n, grad, saved[0], saved[1], saved.output(), saved[2], saved[3],
                                                    saved[4], saved[5], gru_step_grads_recorded<T>);
        const std::size_t S = n.steps, B = n.batch, H = n.hidden;
        const T* h0 = saved[1].value().data();
        const T* out = saved.output().value().data();
        xt::xarray<T> dx = xt::zeros<T>({S, B, 3 * H});   // of the input's share of the gates
        xt::xarray<T> dhw = xt::zeros<T>({S, B, 3 * H});  // of h W_hh^T + b_hh
        xt::xarray<T> carry = xt::zeros<T>({B, H});        // the gradient reaching the state a step started from
        for (std::size_t k = S; k-- > 0;) {
          const std::size_t t = n.time(k);
          const T* g = grad.value().data() + t * B * H;
          const T* prev = detail::previous_state(n, k, h0, out);
          for (std::size_t row = 0; row < B; ++row) {
            T* dh = carry.data() + row * H;
            const T* gr = g + row * H;
            if (!n.active(t, row)) {
              for (std::size_t j = 0; j < H; ++j) dh[j] += gr[j];
              continue;
            }
            const T *a = saved[6].value().data() + (t * B + row) * 4 * H, *h = prev + row * H;
            T* d = dx.data() + (t * B + row) * 3 * H;
            T* dw = dhw.data() + (t * B + row) * 3 * H;
            for (std::size_t j = 0; j < H; ++j) {
              const T r = a[j], z = a[H + j], nn = a[2 * H + j], hn = a[3 * H + j], gh = gr[j] + dh[j];
              const T dn = gh * (T(1) - z) * (T(1) - nn * nn);
              d[j] = dw[j] = dn * hn * r * (T(1) - r);
              d[H + j] = dw[H + j] = gh * (h[j] - nn) * z * (T(1) - z);
              d[2 * H + j] = dn;
              dw[2 * H + j] = dn * r;
              dh[j] = gh * z;
            }
          }
          detail::gemm(false, false, B, H, 3 * H, T(1), dhw.data() + t * B * 3 * H, 3 * H, saved[3].value().data(), H,
                       T(1), carry.data(), H);
        }
        auto in = detail::input_grads(n, dx, saved[0], saved[2], saved.needs(0), saved.needs(2), saved.needs(4));
        auto rec = detail::recurrent_weight_grads(n, dhw, h0, out, saved.needs(3), saved.needs(5));
        return Grads<T>{in[0], make_tensor<T>(std::move(carry)), in[1], rec[0], in[2], rec[1]};
      });
}

template BasicTensor<float> gru_sequence(const BasicTensor<float>&, const BasicTensor<float>&,
                                         const BasicTensor<float>&, const BasicTensor<float>&,
                                         const BasicTensor<float>&, const BasicTensor<float>&, const SequenceOptions&);
template BasicTensor<double> gru_sequence(const BasicTensor<double>&, const BasicTensor<double>&,
                                          const BasicTensor<double>&, const BasicTensor<double>&,
                                          const BasicTensor<double>&, const BasicTensor<double>&,
                                          const SequenceOptions&);

}  // namespace tg
