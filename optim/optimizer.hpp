#pragma once
// Optimizer: parameter groups with their own options, per-parameter state, zero_grad and step.
// A group holds float tensors (a Module's parameters()) or double ones (a BasicModule<double>'s).
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/tensor.hpp"

namespace tg::optim {

// What an optimizer remembers about one parameter between steps; T is the parameter's type.
template <class T>
struct BasicParamState {
  std::int64_t step = 0;                         // steps that updated this parameter
  std::map<std::string, xt::xarray<T>> buffers;  // "momentum_buffer", "exp_avg", ...

  // The named buffer, created shaped like `like` and filled with `initial` on first use.
  xt::xarray<T>& buffer(const std::string& name, const xt::xarray<T>& like, T initial = T(0));
};
using ParamState = BasicParamState<float>;
using ParamStateD = BasicParamState<double>;

// Everything a step depends on besides the parameters and the fixed options: a checkpoint.
// Positions count every parameter over all groups, in order; only stepped ones have state.
struct OptimizerState {
  std::vector<double> lrs;                          // per group: schedules change them
  std::map<std::size_t, ParamState> params;         // float parameters
  std::map<std::size_t, ParamStateD> double_params;  // double parameters
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // Updates every parameter that has a gradient; records nothing on the tape.
  void step();
  // Makes the gradients undefined (as PyTorch 2 does): the next backward stores its gradient
  // instead of adding it to zeros, two passes fewer over every parameter, and the next step
  // skips parameters it did not reach. zero_grad(false) fills the gradients with zeros instead.
  void zero_grad(bool set_to_none = true);

  std::size_t num_param_groups() const { return groups_.size(); }
  // Whether the group was built from double tensors (else from float ones).
  bool holds_double(std::size_t group) const;
  // The group's parameters; T must be the type the group was built from.
  template <class T = float>
  const std::vector<BasicTensor<T>>& params(std::size_t group) const;
  double lr(std::size_t group = 0) const;
  void set_lr(std::size_t group, double lr);

  OptimizerState state() const;
  // Throws, leaving the optimizer unchanged, when `state` does not fit these parameters.
  void load_state(const OptimizerState& state);

 protected:
  explicit Optimizer(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  template <class T>
  void add_params(std::vector<BasicTensor<T>> params);
  void check_group(std::size_t group) const;
  // Throws naming the optimizer and the field unless `value` is >= 0 (NaN is not).
  void check_non_negative(const char* field, double value) const;

  virtual double group_lr(std::size_t group) const = 0;
  virtual void set_group_lr(std::size_t group, double lr) = 0;
  // One parameter's update, called under NoGradGuard with `state.step` already counting this step.
  virtual void update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad,
                      ParamState& state) = 0;
  virtual void update(std::size_t group, xt::xarray<double>& param, const xt::xarray<double>& grad,
                      ParamStateD& state) = 0;

  // grad + weight_decay * param (an L2 penalty's gradient), kept in `storage` only when it differs from grad.
  template <class T>
  static const xt::xarray<T>& with_weight_decay(const xt::xarray<T>& grad, const xt::xarray<T>& param,
                                                double weight_decay, xt::xarray<T>& storage);

 private:
  template <class T>
  struct Params {
    std::vector<BasicTensor<T>> tensors;
    std::vector<BasicParamState<T>> state;  // parallel to tensors
  };
  using Group = std::variant<Params<float>, Params<double>>;

  std::string name_;
  std::vector<Group> groups_;
};

// The groups' options live here, typed, and are checked here: every field that optimizers
// share (lr, eps, weight_decay, momentum, alpha, lr_decay, initial_accumulator_value: >= 0;
// betas: in [0, 1)); a rule of one optimizer alone is a `validate(options, name)` found by
// argument-dependent lookup.
template <class Options>
class OptimizerWithOptions : public Optimizer {
 public:
  void add_param_group(std::vector<Tensor> params) { add_group(std::move(params), defaults_); }
  void add_param_group(std::vector<TensorD> params) { add_group(std::move(params), defaults_); }
  void add_param_group(std::vector<Tensor> params, const Options& options) { add_group(std::move(params), options); }
  void add_param_group(std::vector<TensorD> params, const Options& options) { add_group(std::move(params), options); }

  const Options& defaults() const { return defaults_; }
  const Options& options(std::size_t group) const {
    check_group(group);
    return options_[group];
  }

 protected:
  template <class T>
  OptimizerWithOptions(std::string name, std::vector<BasicTensor<T>> params, const Options& defaults)
      : Optimizer(std::move(name)), defaults_(defaults) {
    add_group(std::move(params), defaults);
  }

  double group_lr(std::size_t group) const override { return options(group).lr; }
  void set_group_lr(std::size_t group, double lr) override { options_[group].lr = lr; }

 private:
  template <class T>
  void add_group(std::vector<BasicTensor<T>> params, const Options& options) {
    check_options(options);
    add_params(std::move(params));
    options_.push_back(options);
  }
  void check_options(const Options& o) const {
    check_non_negative("learning rate", o.lr);
    if constexpr (requires { o.eps; }) check_non_negative("eps", o.eps);
    if constexpr (requires { o.weight_decay; }) check_non_negative("weight_decay", o.weight_decay);
    if constexpr (requires { o.momentum; }) check_non_negative("momentum", o.momentum);
    if constexpr (requires { o.alpha; }) check_non_negative("alpha", o.alpha);
    if constexpr (requires { o.lr_decay; }) check_non_negative("lr_decay", o.lr_decay);
    if constexpr (requires { o.initial_accumulator_value; })
      check_non_negative("initial_accumulator_value", o.initial_accumulator_value);
    if constexpr (requires { o.betas; }) check_betas(o.betas);
    if constexpr (requires(const std::string& n) { validate(o, n); }) validate(o, name());
  }
  void check_betas(const std::pair<double, double>& betas) const {
    for (const auto& [index, beta] : {std::pair{0, betas.first}, std::pair{1, betas.second}})
      if (!(beta >= 0.0 && beta < 1.0))
        throw Error(name() + ": invalid beta at index " + std::to_string(index) + ": " + std::to_string(beta) +
                    " (must be in [0, 1))");
  }

  Options defaults_;
  std::vector<Options> options_;
};

// An optimizer as SGD, Adam, ... write it: a name (Derived::kName), options, and one update rule
// Derived::apply<T> serving float and double parameters (Derived makes this class a friend).
template <class Derived, class Options>
class OptimizerOf : public OptimizerWithOptions<Options> {
 public:
  explicit OptimizerOf(std::vector<Tensor> params, const Options& options = {})
      : OptimizerWithOptions<Options>(Derived::kName, std::move(params), options) {}
  explicit OptimizerOf(std::vector<TensorD> params, const Options& options = {})
      : OptimizerWithOptions<Options>(Derived::kName, std::move(params), options) {}

 private:
  void update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad, ParamState& state) final {
    static_cast<Derived&>(*this).apply(group, param, grad, state);
  }
  void update(std::size_t group, xt::xarray<double>& param, const xt::xarray<double>& grad,
              ParamStateD& state) final {
    static_cast<Derived&>(*this).apply(group, param, grad, state);
  }
};

}  // namespace tg::optim
