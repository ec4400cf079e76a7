#include "ops/mdlstm.hpp"

#include "autograd/factory.hpp"
#include "autograd/record.hpp"
#include "ops/activation.hpp"
#include "ops/math.hpp"
#include "ops/matmul.hpp"
#include "ops/rnn_kernel.hpp"

namespace tg {
namespace {

using detail::columns;

struct GridSizes {
  std::size_t rows, cols, batch, hidden;
  std::size_t positions() const { return rows * cols; }
};

template <class T>
GridSizes check_grid(const BasicTensor<T>& x, const BasicTensor<T>& w, const BasicTensor<T>& b) {
  const Shape sw = w.shape(), sx = x.shape();
  if (sw.size() != 2 || sw[0] != 5 * (sw[1] / 2) || sw[1] % 2 != 0 || sw[1] == 0)
    throw Error("mdlstm_grid: the recurrent weight must be (5H, 2H), got shape " + shape_str(sw));
  const std::size_t H = sw[1] / 2;
  if (sx.size() != 4 || sx[3] != 5 * H)
    throw Error("mdlstm_grid: the input gates must be (rows, columns, B, " + std::to_string(5 * H) + "), got shape " +
                shape_str(sx));
  if (b.defined() && b.shape() != Shape{5 * H})
    throw Error("mdlstm_grid: the recurrent bias must be (" + std::to_string(5 * H) + "), got shape " +
                shape_str(b.shape()));
  return {sx[0], sx[1], sx[2], H};
}

// One position's gradients in tg ops from the states of its upper and left neighbours
// (create_graph): {d input gates, d up state, d left state, d w_hh, d b_hh}.
template <class T>
Grads<T> position_grads_recorded(const BasicTensor<T>& g, const BasicTensor<T>& x, const BasicTensor<T>& up,
                                 const BasicTensor<T>& left, const BasicTensor<T>& w, const BasicTensor<T>& b) {
  const std::size_t H = w.shape()[1] / 2;
  const auto c_up = columns(up, H, H), c_left = columns(left, H, H);
  const auto h_both = concat<T>({columns(up, 0, H), columns(left, 0, H)}, 1);
  auto a = x + matmul(h_both, w, {.transpose_b = true});
  if (b.defined()) a = a + b;
  const auto i = sigmoid(columns(a, 0, H)), fu = sigmoid(columns(a, H, H)), fl = sigmoid(columns(a, 2 * H, H)),
             gg = tanh(columns(a, 3 * H, H)), o = sigmoid(columns(a, 4 * H, H));
  const auto t = tanh(i * gg + fu * c_up + fl * c_left);
  const auto gh = columns(g, 0, H);
  const auto dc = columns(g, H, H) + gh * o * rsub(T(1), square(t));
  const auto da = concat<T>({dc * gg * i * rsub(T(1), i), dc * c_up * fu * rsub(T(1), fu),
                             dc * c_left * fl * rsub(T(1), fl), dc * i * rsub(T(1), square(gg)),
                             gh * t * o * rsub(T(1), o)},
                            1);
  const auto dh = matmul(da, w);
  return {da, concat<T>({columns(dh, 0, H), dc * fu}, 1), concat<T>({columns(dh, H, H), dc * fl}, 1),
          matmul(da, h_both, {.transpose_a = true}), b.defined() ? da : BasicTensor<T>()};
}

template <class T>
Grads<T> grid_grads_recorded(const GridSizes& n, const BasicTensor<T>& g, const BasicTensor<T>& x,
                             const BasicTensor<T>& out, const BasicTensor<T>& w, const BasicTensor<T>& b) {
  const std::size_t B = n.batch, H = n.hidden;
  auto at = [&](const BasicTensor<T>& t, std::size_t y, std::size_t c, std::size_t width) {
    const auto row = Slice{std::ptrdiff_t(y), std::ptrdiff_t(y + 1)}, col = Slice{std::ptrdiff_t(c), std::ptrdiff_t(c + 1)};
    return reshape(slice(t, {row, col}), {B, width});
  };
  const auto outside = zeros<T>({B, 2 * H});
  std::vector<BasicTensor<T>> carry(n.positions()), dx(n.positions());
  BasicTensor<T> dw, db;
  auto add_to = [](BasicTensor<T>& into, const BasicTensor<T>& v) { into = into.defined() ? into + v : v; };
  for (std::size_t p = n.positions(); p-- > 0;) {
    const std::size_t y = p / n.cols, c = p % n.cols;
    auto gp = at(g, y, c, 2 * H);
    if (carry[p].defined()) gp = gp + carry[p];
    const auto up = y > 0 ? at(out, y - 1, c, 2 * H) : outside, left = c > 0 ? at(out, y, c - 1, 2 * H) : outside;
    auto grads = position_grads_recorded(gp, at(x, y, c, 5 * H), up, left, w, b);
    dx[p] = grads[0];
    if (y > 0) add_to(carry[p - n.cols], grads[1]);
    if (c > 0) add_to(carry[p - 1], grads[2]);
    add_to(dw, grads[3]);
    if (grads[4].defined()) add_to(db, grads[4]);
  }
  return {reshape(stack(dx, 0), x.shape()), dw, db};
}

}  // namespace

template <class T>
BasicTensor<T> mdlstm_grid(const BasicTensor<T>& input_gates, const BasicTensor<T>& w_hh, const BasicTensor<T>& b_hh) {
  const auto n = check_grid(input_gates, w_hh, b_hh);
  const std::size_t B = n.batch, H = n.hidden, step = B * 2 * H;
  // Per position and row: i, f_up, f_left, g, o, then tanh(c), kept for the gradient.
  xt::xarray<T> gates = xt::xarray<T>::from_shape({n.rows, n.cols, B, 6 * H});
  xt::xarray<T> out = xt::xarray<T>::from_shape({n.rows, n.cols, B, 2 * H});
  const T* w = w_hh.value().data();
  for (std::size_t p = 0; p < n.positions(); ++p) {
    const std::size_t y = p / n.cols, c = p % n.cols;
    T* a = gates.data() + p * B * 6 * H;
    const T* up = y > 0 ? out.data() + (p - n.cols) * step : nullptr;
    const T* left = c > 0 ? out.data() + (p - 1) * step : nullptr;
    for (std::size_t r = 0; r < B; ++r) {
      T* row = a + r * 6 * H;
      const T* x = input_gates.value().data() + (p * B + r) * 5 * H;
      for (std::size_t j = 0; j < 5 * H; ++j) row[j] = x[j] + (b_hh.defined() ? b_hh.value().data()[j] : T(0));
    }
    // Each neighbour inside the grid adds its share h W^T, by its half of W's columns.
    if (up) detail::gemm(false, true, B, 5 * H, H, T(1), up, 2 * H, w, 2 * H, T(1), a, 6 * H);
    if (left) detail::gemm(false, true, B, 5 * H, H, T(1), left, 2 * H, w + H, 2 * H, T(1), a, 6 * H);
    for (std::size_t r = 0; r < B; ++r) {
      T* g = a + r * 6 * H;
      T* h = out.data() + p * step + r * 2 * H;
      detail::sigmoid_in_place(g, 3 * H);
      detail::tanh_in_place(g + 3 * H, H);
      detail::sigmoid_in_place(g + 4 * H, H);
      for (std::size_t j = 0; j < H; ++j) {
        const T c_up = up ? up[r * 2 * H + H + j] : T(0), c_left = left ? left[r * 2 * H + H + j] : T(0);
        h[H + j] = g[j] * g[3 * H + j] + g[H + j] * c_up + g[2 * H + j] * c_left;
      }
      std::copy_n(h + H, H, g + 5 * H);
      detail::tanh_in_place(g + 5 * H, H);
      for (std::size_t j = 0; j < H; ++j) h[j] = g[4 * H + j] * g[5 * H + j];
    }
  }
  auto saved_gates = make_tensor<T>(std::move(gates));
  return record<T>(
      {.name = "mdlstm_grid",
       .inputs = {input_gates, w_hh, b_hh},
       .save = {input_gates, w_hh, b_hh, saved_gates},
       .save_output = true},
      std::move(out), [n](const BasicTensor<T>& grad, const Saved<T>& saved) {
        if (GradMode::enabled()) return grid_grads_recorded(n, grad, saved[0], saved.output(), saved[1], saved[2]);
        const std::size_t B = n.batch, H = n.hidden, step = B * 2 * H;
        const T* w = saved[1].value().data();
        const T* out = saved.output().value().data();
        xt::xarray<T> ds = grad.value();  // each position's total gradient once its dependents are done
        xt::xarray<T> da = xt::zeros<T>(saved[0].value().shape());
        for (std::size_t p = n.positions(); p-- > 0;) {
          const std::size_t y = p / n.cols, c = p % n.cols;
          T* d_up = y > 0 ? ds.data() + (p - n.cols) * step : nullptr;
          T* d_left = c > 0 ? ds.data() + (p - 1) * step : nullptr;
          const T* up = y > 0 ? out + (p - n.cols) * step : nullptr;
          const T* left = c > 0 ? out + (p - 1) * step : nullptr;
          for (std::size_t r = 0; r < B; ++r) {
            const T* g = ds.data() + p * step + r * 2 * H;
            const T* a = saved[3].value().data() + (p * B + r) * 6 * H;
            T* d = da.data() + (p * B + r) * 5 * H;
            for (std::size_t j = 0; j < H; ++j) {
              const T i = a[j], fu = a[H + j], fl = a[2 * H + j], gg = a[3 * H + j], o = a[4 * H + j], t = a[5 * H + j];
              const T c_up = up ? up[r * 2 * H + H + j] : T(0), c_left = left ? left[r * 2 * H + H + j] : T(0);
              const T gh = g[j], dc = g[H + j] + gh * o * (T(1) - t * t);
              d[j] = dc * gg * i * (T(1) - i);
              d[H + j] = dc * c_up * fu * (T(1) - fu);
              d[2 * H + j] = dc * c_left * fl * (T(1) - fl);
              d[3 * H + j] = dc * i * (T(1) - gg * gg);
              d[4 * H + j] = gh * t * o * (T(1) - o);
              if (d_up) d_up[r * 2 * H + H + j] += dc * fu;
              if (d_left) d_left[r * 2 * H + H + j] += dc * fl;
            }
          }
          const T* dp = da.data() + p * B * 5 * H;
          if (d_up) detail::gemm(false, false, B, H, 5 * H, T(1), dp, 5 * H, w, 2 * H, T(1), d_up, 2 * H);
          if (d_left) detail::gemm(false, false, B, H, 5 * H, T(1), dp, 5 * H, w + H, 2 * H, T(1), d_left, 2 * H);
        }
        Grads<T> grads{BasicTensor<T>(), BasicTensor<T>(), BasicTensor<T>()};
        if (saved.needs(1)) {  // the upper neighbours' share in one product, the left ones' row by row
          xt::xarray<T> dw = xt::zeros<T>({5 * H, 2 * H});
          const std::size_t row_positions = n.cols * B;
          if (n.rows > 1)
            detail::gemm(true, false, 5 * H, H, (n.rows - 1) * row_positions, T(1), da.data() + row_positions * 5 * H,
                         5 * H, out, 2 * H, T(0), dw.data(), 2 * H);
          for (std::size_t y = 0; y < n.rows && n.cols > 1; ++y)
            detail::gemm(true, false, 5 * H, H, (n.cols - 1) * B, T(1), da.data() + (y * n.cols + 1) * B * 5 * H, 5 * H,
                         out + y * row_positions * 2 * H, 2 * H, T(1), dw.data() + H, 2 * H);
          grads[1] = make_tensor<T>(std::move(dw));
        }
        if (saved.needs(2)) grads[2] = make_tensor<T>(detail::column_sums(da.data(), n.positions() * B, 5 * H));
        grads[0] = make_tensor<T>(std::move(da));
        return grads;
      });
}

template BasicTensor<float> mdlstm_grid(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> mdlstm_grid(const BasicTensor<double>&, const BasicTensor<double>&,
                                         const BasicTensor<double>&);

}  // namespace tg
