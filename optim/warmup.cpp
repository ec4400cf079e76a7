#include "optim/warmup.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "autograd/error.hpp"

namespace tg::optim {

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor, std::int64_t total_iters)
    : LRScheduler(optimizer, "LinearLR"), start_factor_(start_factor), end_factor_(end_factor), total_iters_(total_iters) {
  if (!(start_factor > 0.0 && start_factor <= 1.0))
    throw Error("LinearLR: start_factor must be in (0, 1], got " + std::to_string(start_factor));
  if (!(end_factor >= 0.0 && end_factor <= 1.0))
    throw Error("LinearLR: end_factor must be in [0, 1], got " + std::to_string(end_factor));
  if (total_iters < 1) throw Error("LinearLR: total_iters must be at least 1, got " + std::to_string(total_iters));
  start_at([start_factor](double base) { return base * start_factor; });
}

double LinearLR::next_lr(double current, double) const {
  const auto epoch = last_epoch();
  if (epoch > total_iters_) return current;
  const double change = end_factor_ - start_factor_;
  return current * (1.0 + change / (static_cast<double>(total_iters_) * start_factor_ +
                                    static_cast<double>(epoch - 1) * change));
}

OneCycleLR::OneCycleLR(Optimizer& optimizer, double max_lr, std::int64_t total_steps, const OneCycleOptions& options)
    : LRScheduler(optimizer, "OneCycleLR"), max_lr_(max_lr), total_steps_(total_steps), options_(options) {
  if (!(max_lr >= 0.0)) throw Error("OneCycleLR: invalid max_lr " + std::to_string(max_lr));
  if (total_steps < 1) throw Error("OneCycleLR: total_steps must be at least 1, got " + std::to_string(total_steps));
  if (!(options.pct_start >= 0.0 && options.pct_start <= 1.0))
    throw Error("OneCycleLR: pct_start must be in [0, 1], got " + std::to_string(options.pct_start));
  if (!(options.div_factor > 0.0) || !(options.final_div_factor > 0.0))
    throw Error("OneCycleLR: div_factor and final_div_factor must be positive");
  start_at([this](double) { return lr_at(0); });
}

double OneCycleLR::next_lr(double, double) const {
  if (last_epoch() > total_steps_)
    throw Error("OneCycleLR: stepped " + std::to_string(last_epoch()) + " times, but total_steps is " +
                std::to_string(total_steps_));
  // Step total_steps follows the last batch, as in PyTorch; its rate, never used, lies past the
  // last one (below zero when annealing linearly), so it is kept at zero or above.
  return std::max(lr_at(last_epoch()), 0.0);
}

double OneCycleLR::lr_at(std::int64_t step) const {
  const double initial = max_lr_ / options_.div_factor;
  const double last = initial / options_.final_div_factor;
  const double peak_step = options_.pct_start * static_cast<double>(total_steps_) - 1.0;
  const double end_step = static_cast<double>(total_steps_) - 1.0;
  const auto s = static_cast<double>(step);
  // PyTorch's phases: up to the peak (inclusive), then down; each anneals start -> end by pct.
  const bool rising = s <= peak_step && peak_step > 0.0;
  const double start = rising ? initial : max_lr_, end = rising ? max_lr_ : last;
  const double pct = rising ? s / peak_step : (s - peak_step) / (end_step - peak_step);
  if (options_.anneal == Anneal::Linear) return (end - start) * pct + start;
  return end + (start - end) / 2.0 * (std::cos(std::numbers::pi * pct) + 1.0);
}

}  // namespace tg::optim
