#pragma once
// Gradient clipping over a set of parameters; parameters without a gradient are ignored.
#include <vector>

#include "autograd/tensor.hpp"

namespace tg::optim {

// Scales all gradients together so that their joint norm (the norm of the per-tensor norms;
// norm_type > 0 or infinity) is at most max_norm, as PyTorch's clip_grad_norm_ does
// (factor max_norm / (norm + 1e-6) when below 1). Returns the norm before clipping.
double clip_grad_norm(const std::vector<Tensor>& params, double max_norm, double norm_type = 2.0);
double clip_grad_norm(const std::vector<TensorD>& params, double max_norm, double norm_type = 2.0);

// Clamps every gradient element into [-clip_value, clip_value].
void clip_grad_value(const std::vector<Tensor>& params, double clip_value);
void clip_grad_value(const std::vector<TensorD>& params, double clip_value);

}  // namespace tg::optim
