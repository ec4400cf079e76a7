#pragma once
// The resident memory a stretch of a program peaks at, from Linux's /proc/self: what W5 reports
// beside its time. Includes neither library, so both sides of a workload measure it alike.
#include <fstream>
#include <string>

namespace bench {

// A field of /proc/self/status in MiB ("VmRSS", "VmHWM"), or -1 where there is none.
inline double status_mib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;  // in kB
  return -1;
}

// Starts a new peak: the kernel resets the high-water mark to the current resident size.
inline void reset_peak_memory() { std::ofstream("/proc/self/clear_refs") << "5"; }

// The peak resident memory since the last reset_peak_memory(), in MiB.
inline double peak_memory_mib() { return status_mib("VmHWM"); }

}  // namespace bench
