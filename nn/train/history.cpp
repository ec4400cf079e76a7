#include "nn/train/history.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <unistd.h>

#include "autograd/shape.hpp"
#include "nn/data/atomic_file.hpp"

namespace tg::nn {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');)
    if (!dir.empty() && ::access((std::filesystem::path(dir) / program).c_str(), X_OK) == 0) return true;
  return false;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace

void Logs::set(const std::string& key, double value) {
  for (auto& [k, v] : entries_)
    if (k == key) {
      v = value;
      return;
    }
  entries_.emplace_back(key, value);
}

bool Logs::contains(const std::string& key) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const auto& e) { return e.first == key; });
}

double Logs::at(const std::string& key) const {
  for (const auto& [k, v] : entries_)
    if (k == key) return v;
  std::string known;
  for (const auto& e : entries_) known += (known.empty() ? "" : ", ") + e.first;
  throw Error("Logs: no value named '" + key + "' (have: " + known + ")");
}

void History::append(const Logs& logs) {
  for (const auto& [key, value] : logs.entries())
    if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) keys_.push_back(key);
  rows_.push_back(logs);
}

std::vector<double> History::values(const std::string& key) const {
  std::vector<double> out;
  for (const auto& row : rows_) out.push_back(row.contains(key) ? row.at(key) : std::nan(""));
  return out;
}

void History::write_csv(const std::string& path) const {
  std::ostringstream csv;
  csv << "epoch";
  for (const auto& key : keys_) csv << "," << key;
  csv << "\n" << std::setprecision(9);
  for (std::size_t e = 0; e < rows_.size(); ++e) {
    csv << e + 1;
    for (const auto& key : keys_) {
      csv << ",";
      if (rows_[e].contains(key)) csv << rows_[e].at(key);
    }
    csv << "\n";
  }
  write_atomically(path, csv.str(), "History::write_csv");
}

bool History::plot(const std::string& png_path, std::ostream& log) const {
  if (!on_path("gnuplot")) {
    log << "gnuplot is not installed (apt-get install gnuplot-nox): skipping the plot " << png_path << "\n";
    return false;
  }
  const std::string csv = png_path + ".csv";
  write_csv(csv);
  auto column = [&](const std::string& key) {
    return std::to_string(std::find(keys_.begin(), keys_.end(), key) - keys_.begin() + 2);
  };
  auto curves = [&](const std::vector<std::string>& names) {
    std::string cmd;
    for (const auto& name : names)
      if (std::find(keys_.begin(), keys_.end(), name) != keys_.end())
        cmd += std::string(cmd.empty() ? "plot " : ", ") + quoted(csv) + " using 1:" + column(name) +
               " with linespoints title " + quoted(name);
    return cmd;
  };
  const bool has_accuracy = std::find(keys_.begin(), keys_.end(), "accuracy") != keys_.end();
  std::ostringstream script;
  script << "set terminal png size " << (has_accuracy ? 1000 : 600) << ",400\n"
         << "set output " << quoted(png_path) << "\nset datafile separator ','\nset key top right\n"
         << "set termoption noenhanced\nset xlabel 'epoch'\nset grid\n";  // noenhanced: '_' is no subscript
  if (rows_.size() <= 20) script << "set xtics 1\n";
  if (has_accuracy) script << "set multiplot layout 1,2\n";
  script << "set title 'loss'\n" << curves({"loss", "val_loss"}) << "\n";
  if (has_accuracy) script << "set title 'accuracy'\n" << curves({"accuracy", "val_accuracy"}) << "\nunset multiplot\n";
  const std::string script_path = png_path + ".gnuplot";
  write_atomically(script_path, script.str(), "History::plot");
  const int status = std::system(("gnuplot " + quoted(script_path) + " >/dev/null 2>&1").c_str());
  std::filesystem::remove(script_path);
  std::filesystem::remove(csv);
  if (status != 0) {
    log << "gnuplot failed (status " << status << "): no plot at " << png_path << "\n";
    return false;
  }
  return true;
}

}  // namespace tg::nn
