#include "autograd/record.hpp"
#include "ops/activation.hpp"
#include "ops/math.hpp"
#include "ops/matmul.hpp"
#include "ops/rnn_kernel.hpp"

namespace tg {
namespace {

// One step's gradients in tg ops, recomputing it from the inputs (create_graph); relu's 0/1
// gate is a constant, its derivative being zero.
template <class T, RNNNonlinearity nonlinearity>
Grads<T> rnn_step_grads_recorded(const BasicTensor<T>& g, const BasicTensor<T>& x, const BasicTensor<T>& h,
                                 const BasicTensor<T>& w, const BasicTensor<T>& b, const BasicTensor<T>& mask) {
  auto a = x + matmul(h, w, {.transpose_b = true});
  if (b.defined()) a = a + b;
  const auto gm = mask.defined() ? g * mask : g;
  const auto da = nonlinearity == RNNNonlinearity::Tanh ? gm * rsub(T(1), square(tanh(a)))
                                                        : gm * make_tensor<T>(xt::cast<T>(a.value() > T(0)));
  auto dh = matmul(da, w);
  if (mask.defined()) dh = dh + g * rsub(T(1), mask);
  return {da, dh, matmul(da, h, {.transpose_a = true}), b.defined() ? da : BasicTensor<T>()};
}

}  // namespace

template <class T>
BasicTensor<T> rnn_sequence(const BasicTensor<T>& x, const BasicTensor<T>& h0, const BasicTensor<T>& w_ih,
                            const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh,
                            RNNNonlinearity nonlinearity, const SequenceOptions& options) {
  const bool tanh_ = nonlinearity == RNNNonlinearity::Tanh;
  const char* name = tanh_ ? "rnn_tanh_sequence" : "rnn_relu_sequence";
  const auto n = detail::check_sequence(name, x, h0, w_ih, w_hh, b_ih, b_hh, 1, 1, options);
  const std::size_t S = n.steps, B = n.batch, H = n.hidden;
  // Starts as every step's input share x W_ih^T + b_ih; each step adds its recurrent share and
  // applies the nonlinearity in place.
  xt::xarray<T> out = xt::xarray<T>::from_shape(detail::output_shape(n));
  detail::input_product(n, x, w_ih, b_ih, out.data(), H);
  for (std::size_t k = 0; k < S; ++k) {
    const std::size_t t = n.time(k);
    const T* prev = detail::previous_state(n, k, h0.value().data(), out.data());
    T* out_t = out.data() + t * B * H;
    detail::add_recurrent_product(n, prev, w_hh, b_hh, out_t, H);
    for (std::size_t row = 0; row < B; ++row) {
      T* a = out_t + row * H;
      if (!n.active(t, row))
        std::copy_n(prev + row * H, H, a);
      else if (tanh_)
        detail::tanh_in_place(a, H);
      else
        for (std::size_t j = 0; j < H; ++j) a[j] = std::max(a[j], T(0));
    }
  }
  return record<T>(
      {.name = tanh_ ? "rnn_tanh_sequence" : "rnn_relu_sequence",
       .inputs = {x, h0, w_ih, w_hh, b_ih, b_hh},
       .save = {x, h0, w_ih, w_hh, b_ih, b_hh},
       .save_output = true},
      std::move(out), [n, tanh_](const BasicTensor<T>& grad, const Saved<T>& saved) {
        if (GradMode::enabled())
          return detail::sequence_grads_recorded<T>(
              n, grad, saved[0], saved[1], saved.output(), saved[2], saved[3], saved[4], saved[5],
              tanh_ ? rnn_step_grads_recorded<T, RNNNonlinearity::Tanh> : rnn_step_grads_recorded<T, RNNNonlinearity::ReLU>);
        const std::size_t S = n.steps, B = n.batch, H = n.hidden;
        const T* h0 = saved[1].value().data();
        const T* out = saved.output().value().data();
        xt::xarray<T> da = xt::zeros<T>({S, B, H});  // of the nonlinearity's argument
        xt::xarray<T> carry = xt::zeros<T>({B, H});  // the gradient reaching the state a step started from
        for (std::size_t k = S; k-- > 0;) {
          const std::size_t t = n.time(k);
          const T* g = grad.value().data() + t * B * H;
          for (std::size_t row = 0; row < B; ++row) {
            T* dh = carry.data() + row * H;
            const T *gr = g + row * H, *o = out + (t * B + row) * H;
            T* d = da.data() + (t * B + row) * H;
            for (std::size_t j = 0; j < H; ++j) {
              const T total = gr[j] + dh[j];
              if (!n.active(t, row))
                dh[j] = total;
              else {
                d[j] = tanh_ ? total * (T(1) - o[j] * o[j]) : (o[j] > T(0) ? total : T(0));
                dh[j] = T(0);
              }
            }
          }
          detail::gemm(false, false, B, H, H, T(1), da.data() + t * B * H, H, saved[3].value().data(), H, T(1),
                       carry.data(), H);
        }
        auto in = detail::input_grads(n, da, saved[0], saved[2], saved.needs(0), saved.needs(2), saved.needs(4));
        auto rec = detail::recurrent_weight_grads(n, da, h0, out, saved.needs(3), saved.needs(5));
        return Grads<T>{in[0], make_tensor<T>(std::move(carry)), in[1], rec[0], in[2], rec[1]};
      });
}

template BasicTensor<float> rnn_sequence(const BasicTensor<float>&, const BasicTensor<float>&,
                                         const BasicTensor<float>&, const BasicTensor<float>&,
                                         const BasicTensor<float>&, const BasicTensor<float>&, RNNNonlinearity,
                                         const SequenceOptions&);
template BasicTensor<double> rnn_sequence(const BasicTensor<double>&, const BasicTensor<double>&,
                                          const BasicTensor<double>&, const BasicTensor<double>&,
                                          const BasicTensor<double>&, const BasicTensor<double>&, RNNNonlinearity,
                                          const SequenceOptions&);

}  // namespace tg
