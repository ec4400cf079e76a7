#include "optim/optimizer.hpp"

#include <unordered_set>

#include <xtensor/xbuilder.hpp>

#include "autograd/grad_mode.hpp"

namespace tg::optim {

xt::xarray<float>& ParamState::buffer(const std::string& name, const xt::xarray<float>& like, float initial) {
  auto it = buffers.find(name);
  if (it == buffers.end()) it = buffers.emplace(name, xt::full_like(like, initial)).first;
  return it->second;
}

void Optimizer::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    Group& group = groups_[g];
    for (std::size_t i = 0; i < group.params.size(); ++i) {
      Tensor& param = group.params[i];
      const Tensor grad = param.grad();
      if (!grad.defined()) continue;
      if (grad.value().shape() != param.value().shape())
        throw Error(name_ + ": parameter " + std::to_string(i) + " of group " + std::to_string(g) + " has shape " +
                    shape_str(param.value().shape()) + " but its gradient has shape " +
                    shape_str(grad.value().shape()));
      ParamState& state = group.state[i];
      ++state.step;
      update(g, param.mutable_value(), grad.value(), state);
    }
  }
}

void Optimizer::zero_grad(bool set_to_none) {
  for (Group& group : groups_)
    for (Tensor& param : group.params) {
      if (set_to_none) param.impl().grad = Tensor();
      else param.zero_grad();
    }
}

void Optimizer::check_group(std::size_t group) const {
  if (group >= groups_.size())
    throw Error(name_ + ": no parameter group " + std::to_string(group) + " (there are " +
                std::to_string(groups_.size()) + ")");
}

const std::vector<Tensor>& Optimizer::params(std::size_t group) const {
  check_group(group);
  return groups_[group].params;
}

double Optimizer::lr(std::size_t group) const {
  check_group(group);
  return group_lr(group);
}

void Optimizer::set_lr(std::size_t group, double lr) {
  check_group(group);
  if (!(lr >= 0.0)) throw Error(name_ + ": invalid learning rate " + std::to_string(lr) + " for group " + std::to_string(group));
  set_group_lr(group, lr);
}

void Optimizer::add_params(std::vector<Tensor> params) {
  std::unordered_set<const TensorImpl<float>*> seen;
  for (const Group& group : groups_)
    for (const Tensor& param : group.params) seen.insert(param.impl_ptr().get());
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Tensor& param = params[i];
    const std::string which = name_ + ": parameter " + std::to_string(i) + " of the new group";
    if (!param.defined()) throw Error(which + " is undefined");
    if (!param.is_leaf()) throw Error(which + " was computed by an operation; only leaf tensors can be optimized");
    if (!seen.insert(param.impl_ptr().get()).second)
      throw Error(which + " is already in a parameter group; a parameter may appear only once");
  }
  std::vector<ParamState> state(params.size());
  groups_.push_back(Group{std::move(params), std::move(state)});
}

OptimizerState Optimizer::state() const {
  OptimizerState out;
  std::size_t position = 0;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    out.lrs.push_back(group_lr(g));
    for (const ParamState& state : groups_[g].state) {
      if (state.step > 0 || !state.buffers.empty()) out.params.emplace(position, state);
      ++position;
    }
  }
  return out;
}

void Optimizer::load_state(const OptimizerState& state) {
  if (state.lrs.size() != groups_.size())
    throw Error(name_ + ": load_state: the state has " + std::to_string(state.lrs.size()) +
                " parameter groups, the optimizer " + std::to_string(groups_.size()));
  std::vector<Tensor*> by_position;
  std::vector<ParamState*> state_by_position;
  for (Group& group : groups_)
    for (std::size_t i = 0; i < group.params.size(); ++i) {
      by_position.push_back(&group.params[i]);
      state_by_position.push_back(&group.state[i]);
    }
  for (const auto& [position, param_state] : state.params) {
    if (position >= by_position.size())
      throw Error(name_ + ": load_state: state for parameter " + std::to_string(position) + ", but there are only " +
                  std::to_string(by_position.size()) + " parameters");
    const auto& shape = by_position[position]->value().shape();
    for (const auto& [buffer_name, buffer] : param_state.buffers)
      if (buffer.shape() != shape)
        throw Error(name_ + ": load_state: buffer '" + buffer_name + "' of parameter " + std::to_string(position) +
                    " has shape " + shape_str(buffer.shape()) + " but the parameter has shape " + shape_str(shape));
    if (param_state.step < 0)
      throw Error(name_ + ": load_state: parameter " + std::to_string(position) + " has a negative step count " +
                  std::to_string(param_state.step));
  }
  for (std::size_t g = 0; g < groups_.size(); ++g)
    if (!(state.lrs[g] >= 0.0))
      throw Error(name_ + ": load_state: invalid learning rate " + std::to_string(state.lrs[g]) + " for group " +
                  std::to_string(g));

  for (std::size_t g = 0; g < groups_.size(); ++g) set_group_lr(g, state.lrs[g]);
  for (ParamState* param_state : state_by_position) *param_state = ParamState{};
  for (const auto& [position, param_state] : state.params) *state_by_position[position] = param_state;
}

const xt::xarray<float>& Optimizer::with_weight_decay(const xt::xarray<float>& grad, const xt::xarray<float>& param,
                                                      double weight_decay, xt::xarray<float>& storage) {
  if (weight_decay == 0.0) return grad;
  storage = grad + static_cast<float>(weight_decay) * param;
  return storage;
}

}  // namespace tg::optim
