#pragma once
// Optimizer: parameter groups with their own options, per-parameter state, zero_grad and step.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <xtensor/xarray.hpp>

#include "autograd/tensor.hpp"

namespace tg::optim {

// What an optimizer remembers about one parameter between steps.
struct ParamState {
  std::int64_t step = 0;                             // steps that updated this parameter
  std::map<std::string, xt::xarray<float>> buffers;  // "momentum_buffer", "exp_avg", ...

  // The named buffer, created shaped like `like` and filled with `initial` on first use.
  xt::xarray<float>& buffer(const std::string& name, const xt::xarray<float>& like, float initial = 0.0f);
};

// Everything a step depends on besides the parameters and the fixed options: a checkpoint.
struct OptimizerState {
  std::vector<double> lrs;                   // per group: schedules change them
  std::map<std::size_t, ParamState> params;  // by position over all groups, in order; stepped ones only
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
  const std::vector<Tensor>& params(std::size_t group) const;
  double lr(std::size_t group = 0) const;
  void set_lr(std::size_t group, double lr);

  OptimizerState state() const;
  // Throws, leaving the optimizer unchanged, when `state` does not fit these parameters.
  void load_state(const OptimizerState& state);

 protected:
  explicit Optimizer(std::string name) : name_(std::move(name)) {}

  const std::string& name() const { return name_; }
  void add_params(std::vector<Tensor> params);
  void check_group(std::size_t group) const;

  virtual double group_lr(std::size_t group) const = 0;
  virtual void set_group_lr(std::size_t group, double lr) = 0;
  // One parameter's update, called under NoGradGuard with `state.step` already counting this step.
  virtual void update(std::size_t group, xt::xarray<float>& param, const xt::xarray<float>& grad,
                      ParamState& state) = 0;

  // grad + weight_decay * param (an L2 penalty's gradient), kept in `storage` only when it differs from grad.
  static const xt::xarray<float>& with_weight_decay(const xt::xarray<float>& grad, const xt::xarray<float>& param,
                                                    double weight_decay, xt::xarray<float>& storage);

 private:
  struct Group {
    std::vector<Tensor> params;
    std::vector<ParamState> state;  // parallel to params
  };
  std::string name_;
  std::vector<Group> groups_;
};

// The groups' options live here, typed; `validate(options, name)` is found by argument-dependent lookup.
template <class Options>
class OptimizerWithOptions : public Optimizer {
 public:
  void add_param_group(std::vector<Tensor> params) { add_param_group(std::move(params), defaults_); }
  void add_param_group(std::vector<Tensor> params, const Options& options) {
    validate(options, name());
    add_params(std::move(params));
    options_.push_back(options);
  }

  const Options& defaults() const { return defaults_; }
  const Options& options(std::size_t group) const {
    check_group(group);
    return options_[group];
  }

 protected:
  OptimizerWithOptions(std::string name, std::vector<Tensor> params, const Options& defaults)
      : Optimizer(std::move(name)), defaults_(defaults) {
    add_param_group(std::move(params), defaults);
  }

  double group_lr(std::size_t group) const override { return options(group).lr; }
  void set_group_lr(std::size_t group, double lr) override { options_[group].lr = lr; }

 private:
  Options defaults_;
  std::vector<Options> options_;
};

}  // namespace tg::optim
