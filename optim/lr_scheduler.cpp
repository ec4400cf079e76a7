#include "optim/lr_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "autograd/shape.hpp"

namespace tg::optim {
namespace {

std::vector<double> current_lrs(const Optimizer& optimizer) {
  std::vector<double> lrs;
  for (std::size_t g = 0; g < optimizer.num_param_groups(); ++g) lrs.push_back(optimizer.lr(g));
  return lrs;
}

}  // namespace

LRScheduler::LRScheduler(Optimizer& optimizer, std::string name)
    : optimizer_(optimizer), name_(std::move(name)), base_lrs_(current_lrs(optimizer)), last_lr_(base_lrs_) {}

void LRScheduler::step() {
  if (optimizer_.num_param_groups() != base_lrs_.size())
    throw Error(name_ + ": the optimizer has " + std::to_string(optimizer_.num_param_groups()) +
                " parameter groups but had " + std::to_string(base_lrs_.size()) + " when the schedule was made");
  ++last_epoch_;
  for (std::size_t g = 0; g < base_lrs_.size(); ++g) optimizer_.set_lr(g, next_lr(optimizer_.lr(g), base_lrs_[g]));
  last_lr_ = current_lrs(optimizer_);
}

void LRScheduler::load_state(const SchedulerState& state) {
  if (state.base_lrs.size() != optimizer_.num_param_groups())
    throw Error(name_ + ": load_state: the state has " + std::to_string(state.base_lrs.size()) +
                " parameter groups, the optimizer " + std::to_string(optimizer_.num_param_groups()));
  if (state.last_epoch < 0) throw Error(name_ + ": load_state: negative epoch " + std::to_string(state.last_epoch));
  for (double lr : state.base_lrs)
    if (!(lr >= 0.0)) throw Error(name_ + ": load_state: invalid base learning rate " + std::to_string(lr));
  last_epoch_ = state.last_epoch;
  base_lrs_ = state.base_lrs;
  last_lr_ = current_lrs(optimizer_);
}

void LRScheduler::start_at(const std::function<double(double base)>& lr) {
  for (std::size_t g = 0; g < base_lrs_.size(); ++g) optimizer_.set_lr(g, lr(base_lrs_[g]));
  last_lr_ = current_lrs(optimizer_);
}

StepLR::StepLR(Optimizer& optimizer, std::int64_t step_size, double gamma)
    : LRScheduler(optimizer, "StepLR"), step_size_(step_size), gamma_(gamma) {
  if (step_size < 1) throw Error("StepLR: step_size must be at least 1, got " + std::to_string(step_size));
}

double StepLR::next_lr(double current, double) const {
  return last_epoch() % step_size_ == 0 ? current * gamma_ : current;
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : LRScheduler(optimizer, "ExponentialLR"), gamma_(gamma) {}

double ExponentialLR::next_lr(double current, double) const { return current * gamma_; }

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, std::int64_t t_max, double eta_min)
    : LRScheduler(optimizer, "CosineAnnealingLR"), t_max_(t_max), eta_min_(eta_min) {
  if (t_max < 1) throw Error("CosineAnnealingLR: t_max must be at least 1, got " + std::to_string(t_max));
}

double CosineAnnealingLR::next_lr(double current, double base) const {
  const double pi = std::numbers::pi;
  const auto epoch = last_epoch();
  const auto t_max = static_cast<double>(t_max_);
  // Just past a minimum the ratio below divides by zero; PyTorch steps up by the closed form there.
  if ((epoch - 1 - t_max_) % (2 * t_max_) == 0) return current + (base - eta_min_) * (1.0 - std::cos(pi / t_max)) / 2.0;
  return (1.0 + std::cos(pi * static_cast<double>(epoch) / t_max)) /
             (1.0 + std::cos(pi * static_cast<double>(epoch - 1) / t_max)) * (current - eta_min_) +
         eta_min_;
}

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, const PlateauOptions& options)
    : optimizer_(optimizer),
      options_(options),
      best_(options.mode == PlateauMode::Min ? std::numeric_limits<double>::infinity()
                                             : -std::numeric_limits<double>::infinity()),
      last_lr_(current_lrs(optimizer)) {
  const std::string name = "ReduceLROnPlateau";
  if (!(options.factor >= 0.0 && options.factor < 1.0))
    throw Error(name + ": factor must be in [0, 1), got " + std::to_string(options.factor));
  if (options.patience < 0) throw Error(name + ": patience must be >= 0, got " + std::to_string(options.patience));
  if (options.cooldown < 0) throw Error(name + ": cooldown must be >= 0, got " + std::to_string(options.cooldown));
  if (!(options.threshold >= 0.0)) throw Error(name + ": invalid threshold " + std::to_string(options.threshold));
  if (!(options.min_lr >= 0.0)) throw Error(name + ": invalid min_lr " + std::to_string(options.min_lr));
}

bool ReduceLROnPlateau::is_better(double metric) const {
  const double t = options_.threshold;
  const bool rel = options_.threshold_mode == ThresholdMode::Rel;
  if (options_.mode == PlateauMode::Min) return metric < (rel ? best_ * (1.0 - t) : best_ - t);
  return metric > (rel ? best_ * (1.0 + t) : best_ + t);
}

void ReduceLROnPlateau::step(double metric) {
  ++last_epoch_;
  if (is_better(metric)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (in_cooldown()) {
    --cooldown_counter_;
    num_bad_epochs_ = 0;  // bad epochs during cooldown do not count
  }
  if (num_bad_epochs_ > options_.patience) {
    reduce_lr();
    cooldown_counter_ = options_.cooldown;
    num_bad_epochs_ = 0;
  }
  last_lr_ = current_lrs(optimizer_);
}

void ReduceLROnPlateau::reduce_lr() {
  for (std::size_t g = 0; g < optimizer_.num_param_groups(); ++g) {
    const double old_lr = optimizer_.lr(g);
    const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
    if (old_lr - new_lr > options_.eps) optimizer_.set_lr(g, new_lr);
  }
}

}  // namespace tg::optim
