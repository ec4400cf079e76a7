#pragma once
// Schedules that start below the base rate, with PyTorch's semantics: LinearLR (a linear
// warm-up) and OneCycleLR. Usually stepped after every batch (fit's schedule_per_batch).
#include <cstdint>

#include "optim/lr_scheduler.hpp"

namespace tg::optim {

// lr = base * factor, the factor going linearly from start_factor (at construction) to
// end_factor over total_iters steps, then staying there.
class LinearLR : public LRScheduler {
 public:
  LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3.0, double end_factor = 1.0, std::int64_t total_iters = 5);

 private:
  double next_lr(double current, double base) const override;
  double start_factor_, end_factor_;
  std::int64_t total_iters_;
};

enum class Anneal { Cos, Linear };

struct OneCycleOptions {
  double pct_start = 0.3;         // the fraction of the steps spent rising to max_lr
  Anneal anneal = Anneal::Cos;
  double div_factor = 25.0;       // the first rate is max_lr / div_factor
  double final_div_factor = 1e4;  // the last is the first / final_div_factor
};

// Leslie Smith's one cycle as PyTorch's OneCycleLR (without its momentum cycle): from
// max_lr / div_factor up to max_lr over pct_start of total_steps, then down to the last rate.
// Every group follows the same rates; stepping past total_steps is an error.
class OneCycleLR : public LRScheduler {
 public:
  OneCycleLR(Optimizer& optimizer, double max_lr, std::int64_t total_steps, const OneCycleOptions& options = {});

 private:
  double next_lr(double current, double base) const override;
  double lr_at(std::int64_t step) const;
  double max_lr_;
  std::int64_t total_steps_;
  OneCycleOptions options_;
};

}  // namespace tg::optim
