#pragma once
// Learning-rate schedules with PyTorch's semantics: StepLR, ExponentialLR, CosineAnnealingLR,
// ReduceLROnPlateau. Call step() once per epoch, after the optimizer's steps.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "optim/optimizer.hpp"

namespace tg::optim {

// What a schedule has counted: a checkpoint keeps it, so that a resumed run continues the
// schedule exactly (the rates themselves are the optimizer's).
struct SchedulerState {
  std::int64_t last_epoch = 0;
  std::vector<double> base_lrs;  // per group
};

// Construction is epoch 0 and leaves the learning rates as they are (a warm-up starts them
// lower); each step() moves one epoch (or one batch) on and sets every group's rate from its
// current rate (so schedules chain) and its base rate (the rate at construction).
class LRScheduler {
 public:
  virtual ~LRScheduler() = default;

  void step();
  std::int64_t last_epoch() const { return last_epoch_; }
  const std::vector<double>& last_lr() const { return last_lr_; }  // per group, after the latest step
  const std::string& name() const { return name_; }  // the type: "StepLR"

  SchedulerState state() const { return {last_epoch_, base_lrs_}; }
  // Continues from `state`, e.g. a checkpoint's, with the optimizer's rates already restored.
  // Throws, changing nothing, when it does not fit the optimizer.
  void load_state(const SchedulerState& state);

 protected:
  LRScheduler(Optimizer& optimizer, std::string name);
  // The rate for epoch last_epoch() (>= 1) of a group now at `current` that started at `base`.
  virtual double next_lr(double current, double base) const = 0;
  // Sets every group's rate to lr(base), for a schedule that does not start at the base rate.
  void start_at(const std::function<double(double base)>& lr);

 private:
  Optimizer& optimizer_;
  std::string name_;
  std::vector<double> base_lrs_;
  std::vector<double> last_lr_;
  std::int64_t last_epoch_ = 0;
};

// lr = base * gamma^(epoch / step_size), integer division.
class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, std::int64_t step_size, double gamma = 0.1);

 private:
  double next_lr(double current, double base) const override;
  std::int64_t step_size_;
  double gamma_;
};

// lr = base * gamma^epoch.
class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(Optimizer& optimizer, double gamma);

 private:
  double next_lr(double current, double base) const override;
  double gamma_;
};

// lr = eta_min + (base - eta_min) * (1 + cos(pi * epoch / t_max)) / 2, back up again after t_max.
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, std::int64_t t_max, double eta_min = 0.0);

 private:
  double next_lr(double current, double base) const override;
  std::int64_t t_max_;
  double eta_min_;
};

enum class PlateauMode { Min, Max };   // whether the watched metric should fall (a loss) or rise (an accuracy)
enum class ThresholdMode { Rel, Abs };  // improvement measured relative to the best value, or absolute

struct PlateauOptions {
  PlateauMode mode = PlateauMode::Min;
  double factor = 0.1;  // new lr = lr * factor
  std::int64_t patience = 10;  // epochs without improvement tolerated before reducing
  double threshold = 1e-4;  // the smallest change that counts as an improvement
  ThresholdMode threshold_mode = ThresholdMode::Rel;
  std::int64_t cooldown = 0;  // epochs after a reduction during which bad epochs are not counted
  double min_lr = 0.0;
  double eps = 1e-8;  // a reduction smaller than this is skipped
};

// Multiplies every group's lr by `factor` once the metric passed to step() has not improved for
// more than `patience` epochs.
class ReduceLROnPlateau {
 public:
  explicit ReduceLROnPlateau(Optimizer& optimizer, const PlateauOptions& options = {});

  void step(double metric);
  std::int64_t last_epoch() const { return last_epoch_; }
  const std::vector<double>& last_lr() const { return last_lr_; }
  double best() const { return best_; }
  std::int64_t num_bad_epochs() const { return num_bad_epochs_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }

 private:
  bool is_better(double metric) const;
  void reduce_lr();

  Optimizer& optimizer_;
  PlateauOptions options_;
  double best_;
  std::int64_t num_bad_epochs_ = 0;
  std::int64_t cooldown_counter_ = 0;
  std::int64_t last_epoch_ = 0;
  std::vector<double> last_lr_;
};

}  // namespace tg::optim
