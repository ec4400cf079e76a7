#include "ops/matmul.hpp"

#include "autograd/record.hpp"
#include "ops/blas.hpp"
#include "ops/shape.hpp"

namespace tg {
namespace {

// Row-major offset of each output batch in an operand whose batch axes broadcast to `batch`.
std::vector<std::size_t> batch_offsets(const Shape& batch, const Shape& operand_batch, std::size_t matrix_size) {
  std::size_t count = 1;
  for (std::size_t d : batch) count *= d;
  std::vector<std::size_t> offsets(count);
  const std::size_t lead = batch.size() - operand_batch.size();
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t rest = i, offset = 0, stride = matrix_size;
    for (std::size_t d = batch.size(); d-- > 0;) {
      const std::size_t index = rest % batch[d];
      rest /= batch[d];
      if (d >= lead) {
        const std::size_t extent = operand_batch[d - lead];
        if (extent != 1) offset += index * stride;
        stride *= extent;
      }
    }
    offsets[i] = offset;
  }
  return offsets;
}

// The product of operands with at least two axes each. Its gradients are products of the
// same kind with other transpose flags, so no transpose is ever materialized.
template <class T>
BasicTensor<T> matmul_batched(const BasicTensor<T>& a, const BasicTensor<T>& b, bool ta, bool tb) {
  const Shape sa = a.shape(), sb = b.shape();
  const std::size_t ra = sa[sa.size() - 2], ca = sa.back(), rb = sb[sb.size() - 2], cb = sb.back();
  const std::size_t m = ta ? ca : ra, k = ta ? ra : ca, n = tb ? rb : cb;
  if ((tb ? cb : rb) != k)
    throw Error("matmul: inner dimensions differ: " + shape_str(sa) + (ta ? "^T" : "") + " x " + shape_str(sb) +
                (tb ? "^T" : ""));
  const Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  const Shape batch = broadcast_shapes(batch_a, batch_b, "matmul");
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  xt::xarray<T> out = detail::uninitialized_array<T>({out_shape.begin(), out_shape.end()});
  const auto product = [&](std::size_t i, std::size_t offset_a, std::size_t offset_b) {
    detail::gemm(ta, tb, m, n, k, T(1), a.value().data() + offset_a, ta ? m : k, b.value().data() + offset_b,
                 tb ? k : n, T(0), out.data() + i * m * n, n);
  };
  if (k == 0) {
    out.fill(T(0));
  } else if (batch.empty()) {
    product(0, 0, 0);  // two matrices: no offsets to compute (or allocate)
  } else {
    const auto off_a = batch_offsets(batch, batch_a, m * k), off_b = batch_offsets(batch, batch_b, k * n);
    for (std::size_t i = 0; i < off_a.size(); ++i) product(i, off_a[i], off_b[i]);
  }
  // The engine sums broadcast batch axes back to each operand's shape.
  return record<T>({.name = "matmul", .inputs = {a, b}, .save = {a, b}}, std::move(out),
                   [ta, tb](const BasicTensor<T>& g, const Saved<T>& s) {
                     const auto& A = s[0];
                     const auto& B = s[1];
                     BasicTensor<T> ga, gb;
                     if (s.needs(0)) ga = ta ? matmul_batched(B, g, tb, true) : matmul_batched(g, B, false, !tb);
                     if (s.needs(1)) gb = tb ? matmul_batched(g, A, true, ta) : matmul_batched(A, g, !ta, false);
                     return Grads<T>{ga, gb};
                   });
}

}  // namespace

template <class T>
BasicTensor<T> matmul(const BasicTensor<T>& a, const BasicTensor<T>& b, const MatmulOptions& options) {
  if (a.dim() == 0 || b.dim() == 0)
    throw Error("matmul: operands need at least one dimension, got " + shape_str(a.value().shape()) + " x " +
                shape_str(b.value().shape()));
  if (a.dim() >= 2 && b.dim() >= 2) return matmul_batched(a, b, options.transpose_a, options.transpose_b);
  if ((options.transpose_a && a.dim() < 2) || (options.transpose_b && b.dim() < 2))
    throw Error("matmul: only an operand with at least two dimensions can be transposed");
  // A 1-D operand becomes a row (left) or a column (right); that axis is removed after.
  const Shape sa = a.shape(), sb = b.shape();
  const std::size_t ka = a.dim() == 1 ? sa[0] : options.transpose_a ? sa[sa.size() - 2] : sa.back();
  const std::size_t kb = b.dim() == 1 ? sb[0] : options.transpose_b ? sb.back() : sb[sb.size() - 2];
  if (ka != kb)
    throw Error("matmul: inner dimensions differ: " + shape_str(sa) + (options.transpose_a ? "^T" : "") + " x " +
                shape_str(sb) + (options.transpose_b ? "^T" : ""));
  const BasicTensor<T> a2 = a.dim() == 1 ? reshape(a, {1, sa[0]}) : a;
  const BasicTensor<T> b2 = b.dim() == 1 ? reshape(b, {sb[0], 1}) : b;
  BasicTensor<T> out = matmul_batched(a2, b2, options.transpose_a, options.transpose_b);
  Shape shape = out.shape();
  if (b.dim() == 1) shape.pop_back();
  if (a.dim() == 1) shape.erase(shape.end() - (b.dim() == 1 ? 1 : 2));
  return reshape(out, shape);
}

template BasicTensor<float> matmul(const BasicTensor<float>&, const BasicTensor<float>&, const MatmulOptions&);
template BasicTensor<double> matmul(const BasicTensor<double>&, const BasicTensor<double>&, const MatmulOptions&);

}  // namespace tg
