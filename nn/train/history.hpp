#pragma once
// What fit() returns: per-epoch values ("loss", "accuracy", "val_loss", ..., "seconds"), as a
// table that can be written as CSV and drawn as a PNG of the loss and accuracy curves.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace tg::nn {

// One epoch's values, in the order they were added.
class Logs {
 public:
  void set(const std::string& key, double value);
  bool contains(const std::string& key) const;
  double at(const std::string& key) const;  // throws naming the missing key
  const std::vector<std::pair<std::string, double>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, double>> entries_;
};

class History {
 public:
  void append(const Logs& logs);
  std::size_t epochs() const { return rows_.size(); }
  const std::vector<std::string>& keys() const { return keys_; }
  std::vector<double> values(const std::string& key) const;  // one per epoch
  const Logs& epoch(std::size_t index) const { return rows_.at(index); }

  // "epoch,loss,..." with one row per epoch; written to a temporary file renamed into place.
  void write_csv(const std::string& path) const;
  // Loss curves left, accuracy right (when there is one) through gnuplot; returns false and
  // says why on `log` when gnuplot is not installed, so that a demo never fails for it.
  bool plot(const std::string& png_path, std::ostream& log) const;

 private:
  std::vector<std::string> keys_;
  std::vector<Logs> rows_;
};

}  // namespace tg::nn
