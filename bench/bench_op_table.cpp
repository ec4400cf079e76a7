// Every operation of tests/op_table.cpp on its first sample shapes, a handful of elements: there
// the tape's own cost dominates, so these are each rule's fixed costs, forward and back. Adding an
// operation to the table adds it here.
#include <vector>

#include "bench/micro.hpp"
#include "tests/op_table.hpp"

namespace {

[[maybe_unused]] const bool registered = [] {
  for (const auto& op : tg::testing::op_table()) {
    std::vector<tg::Tensor> inputs;
    for (const auto& sample : tg::testing::sample_inputs(op, op.shapes.front(), 1))
      inputs.push_back(tg::Tensor::from(xt::cast<float>(sample.value()), true));
    bench::register_op("op/" + op.name, op.build_float, inputs);
  }
  return true;
}();

}  // namespace
