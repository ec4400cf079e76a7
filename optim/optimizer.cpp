#include "optim/optimizer.hpp"

#include <unordered_set>

#include <xtensor/xbuilder.hpp>

#include "autograd/grad_mode.hpp"

namespace tg::optim {
namespace {

template <class T>
const char* type_name() {
  return std::is_same_v<T, float> ? "float" : "double";
}

}  // namespace

template <class T>
xt::xarray<T>& BasicParamState<T>::buffer(const std::string& name, const xt::xarray<T>& like, T initial) {
  auto it = buffers.find(name);
  if (it == buffers.end()) it = buffers.emplace(name, xt::full_like(like, initial)).first;
  return it->second;
}

template struct BasicParamState<float>;
template struct BasicParamState<double>;

void Optimizer::step() {
  NoGradGuard no_grad;
  for (std::size_t g = 0; g < groups_.size(); ++g)
    std::visit(
        [&](auto& group) {
          for (std::size_t i = 0; i < group.tensors.size(); ++i) {
            auto& param = group.tensors[i];
            const auto grad = param.grad();
            if (!grad.defined()) continue;
            if (grad.value().shape() != param.value().shape())
              throw Error(name_ + ": parameter " + std::to_string(i) + " of group " + std::to_string(g) +
                          " has shape " + shape_str(param.value().shape()) + " but its gradient has shape " +
                          shape_str(grad.value().shape()));
            auto& state = group.state[i];
            ++state.step;
            update(g, param.mutable_value(), grad.value(), state);
          }
        },
        groups_[g]);
}

void Optimizer::zero_grad(bool set_to_none) {
  for (Group& group : groups_)
    std::visit(
        [set_to_none](auto& params) {
          for (auto& param : params.tensors) {
            if (set_to_none) param.clear_grad();
            else param.zero_grad();
          }
        },
        group);
}

void Optimizer::check_group(std::size_t group) const {
  if (group >= groups_.size())
    throw Error(name_ + ": no parameter group " + std::to_string(group) + " (there are " +
                std::to_string(groups_.size()) + ")");
}

void Optimizer::check_non_negative(const char* field, double value) const {
  if (!(value >= 0.0)) throw Error(name_ + ": invalid " + field + " " + std::to_string(value));
}

bool Optimizer::holds_double(std::size_t group) const {
  check_group(group);
  return std::holds_alternative<Params<double>>(groups_[group]);
}

template <class T>
const std::vector<BasicTensor<T>>& Optimizer::params(std::size_t group) const {
  check_group(group);
  const auto* params = std::get_if<Params<T>>(&groups_[group]);
  if (!params)
    throw Error(name_ + ": parameter group " + std::to_string(group) + " does not hold " + type_name<T>() +
                " tensors");
  return params->tensors;
}

template const std::vector<BasicTensor<float>>& Optimizer::params(std::size_t) const;
template const std::vector<BasicTensor<double>>& Optimizer::params(std::size_t) const;

double Optimizer::lr(std::size_t group) const {
  check_group(group);
  return group_lr(group);
}

void Optimizer::set_lr(std::size_t group, double lr) {
  check_group(group);
  if (!(lr >= 0.0)) throw Error(name_ + ": invalid learning rate " + std::to_string(lr) + " for group " + std::to_string(group));
  set_group_lr(group, lr);
}

template <class T>
void Optimizer::add_params(std::vector<BasicTensor<T>> params) {
  std::unordered_set<const void*> seen;
  for (const Group& group : groups_)
    std::visit([&seen](const auto& p) { for (const auto& t : p.tensors) seen.insert(t.identity()); }, group);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& param = params[i];
    const std::string which = name_ + ": parameter " + std::to_string(i) + " of the new group";
    if (!param.defined()) throw Error(which + " is undefined");
    if (!param.is_leaf()) throw Error(which + " was computed by an operation; only leaf tensors can be optimized");
    if (!seen.insert(param.identity()).second)
      throw Error(which + " is already in a parameter group; a parameter may appear only once");
  }
  std::vector<BasicParamState<T>> state(params.size());
  groups_.push_back(Params<T>{std::move(params), std::move(state)});
}

template void Optimizer::add_params(std::vector<BasicTensor<float>>);
template void Optimizer::add_params(std::vector<BasicTensor<double>>);

OptimizerState Optimizer::state() const {
  OptimizerState out;
  std::size_t position = 0;
  auto collect = [&position](const auto& group, auto& into) {
    for (const auto& state : group.state) {
      if (state.step > 0 || !state.buffers.empty()) into.emplace(position, state);
      ++position;
    }
  };
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    out.lrs.push_back(group_lr(g));
    if (const auto* floats = std::get_if<Params<float>>(&groups_[g])) collect(*floats, out.params);
    else collect(std::get<Params<double>>(groups_[g]), out.double_params);
  }
  return out;
}

void Optimizer::load_state(const OptimizerState& state) {
  if (state.lrs.size() != groups_.size())
    throw Error(name_ + ": load_state: the state has " + std::to_string(state.lrs.size()) +
                " parameter groups, the optimizer " + std::to_string(groups_.size()));
  // Each position's parameter: its shape, and its state to overwrite when it has this type.
  std::vector<Shape> shapes;
  std::vector<ParamState*> float_states;
  std::vector<ParamStateD*> double_states;
  for (Group& group : groups_)
    std::visit(
        [&](auto& params) {
          for (std::size_t i = 0; i < params.tensors.size(); ++i) {
            shapes.push_back(params.tensors[i].shape());
            auto* s = &params.state[i];
            if constexpr (std::is_same_v<std::remove_reference_t<decltype(*s)>, ParamState>) {
              float_states.push_back(s);
              double_states.push_back(nullptr);
            } else {
              float_states.push_back(nullptr);
              double_states.push_back(s);
            }
          }
        },
        group);
  auto check = [&](const auto& saved, const auto& targets, const char* type) {
    for (const auto& [position, param_state] : saved) {
      if (position >= shapes.size())
        throw Error(name_ + ": load_state: state for parameter " + std::to_string(position) + ", but there are only " +
                    std::to_string(shapes.size()) + " parameters");
      if (!targets[position])
        throw Error(name_ + ": load_state: " + type + " state for parameter " + std::to_string(position) +
                    ", which is not a " + type + " tensor");
      for (const auto& [buffer_name, buffer] : param_state.buffers)
        if (to_shape(buffer.shape()) != shapes[position])
          throw Error(name_ + ": load_state: buffer '" + buffer_name + "' of parameter " + std::to_string(position) +
                      " has shape " + shape_str(buffer.shape()) + " but the parameter has shape " +
                      shape_str(shapes[position]));
      if (param_state.step < 0)
        throw Error(name_ + ": load_state: parameter " + std::to_string(position) + " has a negative step count " +
                    std::to_string(param_state.step));
    }
  };
  check(state.params, float_states, "float");
  check(state.double_params, double_states, "double");
  for (std::size_t g = 0; g < groups_.size(); ++g)
    if (!(state.lrs[g] >= 0.0))
      throw Error(name_ + ": load_state: invalid learning rate " + std::to_string(state.lrs[g]) + " for group " +
                  std::to_string(g));

  for (std::size_t g = 0; g < groups_.size(); ++g) set_group_lr(g, state.lrs[g]);
  for (std::size_t position = 0; position < shapes.size(); ++position) {
    if (float_states[position]) *float_states[position] = ParamState{};
    if (double_states[position]) *double_states[position] = ParamStateD{};
  }
  for (const auto& [position, param_state] : state.params) *float_states[position] = param_state;
  for (const auto& [position, param_state] : state.double_params) *double_states[position] = param_state;
}

template <class T>
const xt::xarray<T>& Optimizer::with_weight_decay(const xt::xarray<T>& grad, const xt::xarray<T>& param,
                                                  double weight_decay, xt::xarray<T>& storage) {
  if (weight_decay == 0.0) return grad;
  storage = grad + static_cast<T>(weight_decay) * param;
  return storage;
}

template const xt::xarray<float>& Optimizer::with_weight_decay(const xt::xarray<float>&, const xt::xarray<float>&,
                                                               double, xt::xarray<float>&);
template const xt::xarray<double>& Optimizer::with_weight_decay(const xt::xarray<double>&, const xt::xarray<double>&,
                                                                double, xt::xarray<double>&);

}  // namespace tg::optim
