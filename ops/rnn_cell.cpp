#include "ops/rnn_cell.hpp"

#include <string>

#include "autograd/error.hpp"
#include "ops/rnn_kernel.hpp"

namespace tg::nn {
namespace {

std::string fits(const char* what, const Shape& got, const std::string& expected) {
  return std::string(what) + " has shape " + shape_str(got) + " where " + expected + " was expected";
}

// Checks every argument against the weights, naming the cell and the argument at fault.
template <class T>
void check_cell(const char* op, std::size_t gates, const BasicTensor<T>& x, const BasicTensor<T>& h,
                           const BasicTensor<T>& c, const BasicTensor<T>& w_ih, const BasicTensor<T>& w_hh,
                           const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  auto fail = [op](const std::string& what) { throw Error(std::string(op) + ": " + what); };
  for (const auto* t : {&x, &h, &w_ih, &w_hh})
    if (!t->defined()) fail("x, h, w_ih and w_hh must be defined tensors");
  const Shape wh = w_hh.shape(), wi = w_ih.shape();
  if (wh.size() != 2 || wh[0] != gates * wh[1])
    fail(fits("w_hh", wh, "(" + std::to_string(gates) + "*H, H)"));
  const std::size_t H = wh[1], GH = gates * H;
  if (wi.size() != 2 || wi[0] != GH) fail(fits("w_ih", wi, "(" + std::to_string(GH) + ", input size)"));
  const std::string batch_rows = "(B, " + std::to_string(wi[1]) + ")";
  if (x.dim() != 2 || x.shape()[1] != wi[1]) fail(fits("x", x.shape(), batch_rows + " to fit w_ih"));
  const std::string state = "(" + std::to_string(x.shape()[0]) + ", " + std::to_string(H) + ")";
  if (h.shape() != Shape{x.shape()[0], H}) fail(fits("h", h.shape(), state));
  if (c.defined() && c.shape() != Shape{x.shape()[0], H}) fail(fits("c", c.shape(), state));
  for (const auto& [name, b] : {std::pair{"b_ih", &b_ih}, std::pair{"b_hh", &b_hh}})
    if (b->defined() && b->shape() != Shape{GH}) fail(fits(name, b->shape(), "(" + std::to_string(GH) + ")"));
}

}  // namespace

template <class T>
BasicLSTMState<T> lstm_cell(const BasicTensor<T>& x, const BasicLSTMState<T>& state, const BasicTensor<T>& w_ih,
                            const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  if (!state.c.defined()) throw Error("lstm_cell: the state's c must be a defined tensor");
  check_cell("lstm_cell", 4, x, state.h, state.c, w_ih, w_hh, b_ih, b_hh);
  const std::size_t H = w_hh.shape()[1];
  const auto next = lstm_sequence(x, concat<T>({state.h, state.c}, 1), w_ih, w_hh, b_ih, b_hh);
  return {detail::columns(next, 0, H), detail::columns(next, H, H)};
}

template <class T>
BasicTensor<T> gru_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                        const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  check_cell("gru_cell", 3, x, h, {}, w_ih, w_hh, b_ih, b_hh);
  return gru_sequence(x, h, w_ih, w_hh, b_ih, b_hh);
}

template <class T>
BasicTensor<T> rnn_tanh_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                             const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  check_cell("rnn_tanh_cell", 1, x, h, {}, w_ih, w_hh, b_ih, b_hh);
  return rnn_sequence(x, h, w_ih, w_hh, b_ih, b_hh, RNNNonlinearity::Tanh);
}

template <class T>
BasicTensor<T> rnn_relu_cell(const BasicTensor<T>& x, const BasicTensor<T>& h, const BasicTensor<T>& w_ih,
                             const BasicTensor<T>& w_hh, const BasicTensor<T>& b_ih, const BasicTensor<T>& b_hh) {
  check_cell("rnn_relu_cell", 1, x, h, {}, w_ih, w_hh, b_ih, b_hh);
  return rnn_sequence(x, h, w_ih, w_hh, b_ih, b_hh, RNNNonlinearity::ReLU);
}

#define TG_INSTANTIATE(T)                                                                                           \
  template BasicLSTMState<T> lstm_cell(const BasicTensor<T>&, const BasicLSTMState<T>&, const BasicTensor<T>&,     \
                                       const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&);       \
  template BasicTensor<T> gru_cell(const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&,            \
                                   const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&);           \
  template BasicTensor<T> rnn_tanh_cell(const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&,       \
                                        const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&);      \
  template BasicTensor<T> rnn_relu_cell(const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&,       \
                                        const BasicTensor<T>&, const BasicTensor<T>&, const BasicTensor<T>&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg::nn
