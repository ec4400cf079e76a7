#pragma once
// Every differentiable operation, listed once: how to build it from its inputs, sample input
// shapes (broadcasting ones included) and where its inputs may lie. Tests iterate this table:
// adding an operation here is all it takes to have it gradchecked and gradgradchecked.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tapegrad.hpp"

namespace tg::testing {

// Samples are drawn uniformly in [lo, hi], keeping away from the points where the operation is
// not (twice) differentiable, where finite differences straddle a kink.
struct Domain {
  double lo = -2.0;
  double hi = 2.0;
  std::vector<double> kinks = {};
};

template <class T>
using OpBuild = std::function<BasicTensor<T>(const std::vector<BasicTensor<T>>&)>;

struct OpCase {
  std::string name;
  std::size_t arity;
  OpBuild<double> build;
  OpBuild<float> build_float;  // the same operation on float, for benchmarks
  std::vector<std::vector<Shape>> shapes;  // sample shape sets, one shape per input
  std::vector<Domain> domains;  // one per input
  bool distinct = false;  // no two sampled values close together: ties are kinks of max, maximum, ...
};

const std::vector<OpCase>& op_table();

// Inputs for one shape set of `op`, all requiring grad; the same for the same seed everywhere.
std::vector<TensorD> sample_inputs(const OpCase& op, const std::vector<Shape>& shapes, std::uint64_t seed);

}  // namespace tg::testing
