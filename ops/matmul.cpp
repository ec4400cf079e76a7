#include "ops/matmul.hpp"

#include <cblas.h>

#include "autograd/record.hpp"
#include "ops/shape.hpp"

namespace tg {
namespace {

void gemm(std::size_t m, std::size_t n, std::size_t k, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0f, a, int(k), b, int(n), 0.0f, c,
              int(n));
}
void gemm(std::size_t m, std::size_t n, std::size_t k, const double* a, const double* b, double* c) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(n), int(k), 1.0, a, int(k), b, int(n), 0.0, c,
              int(n));
}

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

// The product of operands with at least two axes each.
template <class T>
BasicTensor<T> matmul_batched(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  const Shape sa = a.shape(), sb = b.shape();
  const std::size_t m = sa[sa.size() - 2], k = sa.back(), n = sb.back();
  if (sb[sb.size() - 2] != k)
    throw Error("matmul: inner dimensions differ: " + shape_str(sa) + " x " + shape_str(sb));
  const Shape batch_a(sa.begin(), sa.end() - 2), batch_b(sb.begin(), sb.end() - 2);
  const Shape batch = broadcast_shapes(batch_a, batch_b, "matmul");
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  xt::xarray<T> out = xt::xarray<T>::from_shape(out_shape);
  if (k == 0) out.fill(T(0));
  const auto off_a = batch_offsets(batch, batch_a, m * k), off_b = batch_offsets(batch, batch_b, k * n);
  for (std::size_t i = 0; k > 0 && i < off_a.size(); ++i)
    gemm(m, n, k, a.value().data() + off_a[i], b.value().data() + off_b[i], out.data() + i * m * n);
  // The engine sums broadcast batch axes back to each operand's shape.
  return record<T>({.name = "matmul", .inputs = {a, b}, .save = {a, b}}, std::move(out),
                   [](const BasicTensor<T>& g, const Saved<T>& s) {
                     return Grads<T>{s.needs(0) ? matmul(g, transpose(s[1])) : BasicTensor<T>(),
                                     s.needs(1) ? matmul(transpose(s[0]), g) : BasicTensor<T>()};
                   });
}

}  // namespace

template <class T>
BasicTensor<T> matmul(const BasicTensor<T>& a, const BasicTensor<T>& b) {
  if (a.dim() == 0 || b.dim() == 0)
    throw Error("matmul: operands need at least one dimension, got " + shape_str(a.value().shape()) + " x " +
                shape_str(b.value().shape()));
  if (a.dim() >= 2 && b.dim() >= 2) return matmul_batched(a, b);
  // A 1-D operand becomes a row (left) or a column (right); that axis is removed after.
  const Shape sa = a.shape(), sb = b.shape();
  if (sa.back() != (b.dim() == 1 ? sb[0] : sb[sb.size() - 2]))
    throw Error("matmul: inner dimensions differ: " + shape_str(sa) + " x " + shape_str(sb));
  const BasicTensor<T> a2 = a.dim() == 1 ? reshape(a, {1, sa[0]}) : a;
  const BasicTensor<T> b2 = b.dim() == 1 ? reshape(b, {sb[0], 1}) : b;
  BasicTensor<T> out = matmul_batched(a2, b2);
  Shape shape = out.shape();
  if (b.dim() == 1) shape.pop_back();
  if (a.dim() == 1) shape.erase(shape.end() - (b.dim() == 1 ? 1 : 2));
  return reshape(out, shape);
}

template BasicTensor<float> matmul(const BasicTensor<float>&, const BasicTensor<float>&);
template BasicTensor<double> matmul(const BasicTensor<double>&, const BasicTensor<double>&);

}  // namespace tg
