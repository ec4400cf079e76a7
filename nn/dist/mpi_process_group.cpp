// fit's view of the MPI processes (nn/train/process_group.hpp), registered by the Context.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "autograd/error.hpp"
#include "nn/dist/dist.hpp"
#include "nn/dist/mpi_calls.hpp"
#include "nn/train/process_group.hpp"

namespace tg::dist {
namespace {

// DDP's behaviour: gradients averaged in buckets during backward, and rank 0's buffers (running
// statistics) copied to every rank before each forward pass, so that the replicas never drift.
class Averager : public nn::GradientAverager {
 public:
  explicit Averager(nn::Module& model) : buckets_(model), buffers_(detail::each_once(model.buffers())) {}
  void begin_step(double share) override {
    if (!buffers_.empty()) detail::broadcast_tensors(buffers_, 0, "fit");
    buckets_.set_weight(share);
  }
  void before_backward(bool last) override { buckets_.set_accumulating(!last); }
  void end_step() override {
    buckets_.set_accumulating(false);
    buckets_.synchronize();
  }

 private:
  GradientBuckets buckets_;
  std::vector<Tensor> buffers_;
};

class MpiProcessGroup : public nn::ProcessGroup {
 public:
  int rank() const override { return dist::rank(); }
  int size() const override { return world_size(); }
  std::unique_ptr<nn::GradientAverager> replicate(nn::Module& model) override {
    broadcast_parameters(model);
    return std::make_unique<Averager>(model);
  }
  void sum(std::vector<double>& values) override {
    MPI_Request request;
    detail::check(MPI_Iallreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM,
                                 detail::communicator("fit"), &request),
                  "fit");
    detail::wait(request, "fit");
  }
  void check_same(const std::vector<std::pair<std::string, double>>& named_values, const std::string& caller) override {
    // The largest of the values and of their negatives: equal ranks give v and -v back.
    std::vector<double> extremes;
    for (const auto& [name, value] : named_values) extremes.insert(extremes.end(), {value, -value});
    MPI_Request request;
    detail::check(MPI_Iallreduce(MPI_IN_PLACE, extremes.data(), static_cast<int>(extremes.size()), MPI_DOUBLE, MPI_MAX,
                                 detail::communicator(caller.c_str()), &request),
                  caller.c_str());
    detail::wait(request, caller.c_str());
    for (std::size_t i = 0; i < named_values.size(); ++i)
      if (extremes[2 * i] != -extremes[2 * i + 1])
        throw Error(caller + ": the " + named_values[i].first + " differs between the ranks: from " +
                    number(-extremes[2 * i + 1]) + " to " + number(extremes[2 * i]));
  }
  void barrier() override { dist::barrier(); }

 private:
  static std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", v);
    return text;
  }
};

}  // namespace

namespace detail {

nn::ProcessGroup& mpi_process_group() {
  static MpiProcessGroup group;
  return group;
}

}  // namespace detail
}  // namespace tg::dist
