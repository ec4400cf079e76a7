#pragma once
// Gradient averaging that overlaps the backward pass, as DistributedDataParallel's reducer: the
// parameters, in reverse registration order (roughly the order backward() finishes them), are
// grouped into buckets of about `bucket_bytes`; as soon as the last gradient of a bucket is final
// (a post-accumulate-grad hook), the bucket's MPI_Iallreduce starts while backward() goes on.
//
//   tg::dist::GradientBuckets buckets(model);
//   for (...) {
//     optimizer.zero_grad();
//     loss(model(x), y).backward();  // buckets start as their gradients are final
//     buckets.synchronize();         // waits for the rest and writes the averages back
//     optimizer.step();
//   }
//
// While it lives, every backward() through the model must be followed by synchronize(), on every
// rank: the ranks' all-reduces pair up in bucket order.
#include <cstddef>
#include <memory>

#include "nn/module.hpp"

namespace tg::dist {

struct BucketOptions {
  std::size_t bucket_bytes = 2 << 20;
};

class GradientBuckets {
 public:
  explicit GradientBuckets(nn::Module& model, BucketOptions options = {});
  ~GradientBuckets();  // removes its hooks; waits for buckets still in flight
  GradientBuckets(const GradientBuckets&) = delete;
  GradientBuckets& operator=(const GradientBuckets&) = delete;

  // This rank's factor in the sum of the next step's gradients: 1 / world_size() (the default)
  // averages. fit gives each rank its share of the batch, so that uneven shards of a batch add up
  // to the gradient of the whole batch's mean loss.
  void set_weight(double weight);
  // While accumulating, backward() only adds to the gradients, starting no bucket (gradient
  // accumulation over micro-batches, as DDP's no_sync); synchronize() averages the sums.
  void set_accumulating(bool accumulating);
  // Starts the buckets that have not started (a parameter backward did not reach counts as
  // zeros), waits for all, and writes the sums back as the parameters' gradients; one that no
  // rank has a gradient for stays without one. Then the next step may begin.
  void synchronize();

  std::size_t bucket_count() const;
  // Buckets whose all-reduce has started in the current step: during backward(), how far the
  // communication has got ahead of synchronize().
  std::size_t started_buckets() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tg::dist
