#pragma once
// What the MNIST examples trained by fit print at the end: test accuracy and time per epoch,
// the final accuracy (their tests read these lines), then the history as CSV and plot.
#include <cstdio>
#include <iostream>
#include <string>

#include "tapegrad.hpp"

namespace examples {

inline void report_fit(const tg::nn::History& history, const std::string& history_path) {
  const auto accuracy = history.values("val_accuracy");
  const auto seconds = history.values("seconds");
  for (std::size_t e = 0; e < accuracy.size(); ++e)
    std::printf("epoch %zu: test accuracy %.4f, %.1f s\n", e + 1, accuracy[e], seconds[e]);
  std::printf("final test accuracy: %.4f\n", accuracy.back());
  history.write_csv(history_path + ".csv");
  history.plot(history_path + ".png", std::cout);
}

}  // namespace examples
