#pragma once
// The reverse sweep: backward() accumulates into leaves' .grad, grad() returns gradients.
#include <optional>
#include <vector>

#include "autograd/tensor.hpp"

namespace tg {

struct GradOptions {
  std::optional<bool> retain_graph;  // defaults to create_graph, as in PyTorch
  bool create_graph = false;
  bool allow_unused = false;  // an input the outputs do not depend on gets an undefined gradient
};

// Sweeps from `outputs`, seeded with `seeds` (ones for one-element outputs when empty),
// accumulating into every leaf that requires grad.
template <class T>
void backward(const std::vector<BasicTensor<T>>& outputs, const std::vector<BasicTensor<T>>& seeds,
              const BackwardOptions& options = {});

// d(outputs)/d(inputs) contracted with grad_outputs; leaves' .grad are left untouched.
template <class T>
std::vector<BasicTensor<T>> grad(const std::vector<BasicTensor<T>>& outputs,
                                 const std::vector<BasicTensor<T>>& inputs,
                                 const std::vector<BasicTensor<T>>& grad_outputs = {},
                                 const GradOptions& options = {});

// Non-template overloads so that braced lists work: tg::grad({loss}, {x, y}).
inline std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                                const std::vector<Tensor>& grad_outputs = {}, const GradOptions& options = {}) {
  return grad<float>(outputs, inputs, grad_outputs, options);
}
inline std::vector<TensorD> grad(const std::vector<TensorD>& outputs, const std::vector<TensorD>& inputs,
                                 const std::vector<TensorD>& grad_outputs = {}, const GradOptions& options = {}) {
  return grad<double>(outputs, inputs, grad_outputs, options);
}

}  // namespace tg
