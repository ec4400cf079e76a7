#include "nn/dist/gradient_buckets.hpp"

#include <algorithm>
#include <climits>
#include <exception>
#include <string>
#include <vector>

#include "autograd/error.hpp"
#include "nn/dist/dist.hpp"
#include "nn/dist/mpi_calls.hpp"

namespace tg::dist {

struct GradientBuckets::State {
  // A run of parameters whose gradients travel in one MPI_Iallreduce.
  struct Bucket {
    std::vector<std::size_t> params;   // indices into State::params
    std::vector<std::size_t> offsets;  // where each parameter's gradient starts in `values`
    std::vector<float> values;         // the gradients, then one has-a-gradient flag per parameter
    std::size_t waiting = 0;           // parameters whose gradient is not final yet in this step
  };

  std::vector<Tensor> params;
  std::vector<std::size_t> hook_keys;
  std::vector<std::size_t> bucket_of;
  std::vector<bool> final_this_step;
  std::vector<Bucket> buckets;
  std::vector<MPI_Request> requests;  // one per bucket; MPI_REQUEST_NULL when done or not started
  std::size_t next_to_start = 0;      // buckets start in order, so that the ranks' all-reduces pair up
  float weight = 1.0f;
  bool accumulating = false;

  void gradient_final(std::size_t param) {
    if (accumulating) return;
    if (final_this_step[param])
      throw Error(
          "GradientBuckets: a second backward() reached a parameter before synchronize(); average each "
          "step's gradients before the next backward");
    final_this_step[param] = true;
    if (--buckets[bucket_of[param]].waiting == 0)
      while (next_to_start < buckets.size() && buckets[next_to_start].waiting == 0) start(next_to_start++);
    detail::progress(requests, "GradientBuckets");
  }

  void start(std::size_t b) {
    Bucket& bucket = buckets[b];
    const std::size_t flags = bucket.offsets.back();
    for (std::size_t i = 0; i < bucket.params.size(); ++i) {
      const Tensor grad = params[bucket.params[i]].grad();
      float* out = bucket.values.data() + bucket.offsets[i];
      const std::size_t n = bucket.offsets[i + 1] - bucket.offsets[i];
      if (grad.defined() && grad.size() != n)
        throw Error("GradientBuckets: a gradient of shape " + shape_str(grad.value().shape()) +
                    " for a parameter of shape " + shape_str(params[bucket.params[i]].value().shape()));
      if (grad.defined())
        std::transform(grad.value().data(), grad.value().data() + n, out, [w = weight](float g) { return g * w; });
      else
        std::fill(out, out + n, 0.0f);
      bucket.values[flags + i] = grad.defined() ? 1.0f : 0.0f;
    }
    detail::check(MPI_Iallreduce(MPI_IN_PLACE, bucket.values.data(), static_cast<int>(bucket.values.size()), MPI_FLOAT,
                                 MPI_SUM, detail::communicator("GradientBuckets"), &requests[b]),
                  "GradientBuckets");
  }

  // The bucket's sums become the gradients, in place where nobody else holds the gradient.
  void write_back(const Bucket& bucket) {
    const std::size_t flags = bucket.offsets.back();
    for (std::size_t i = 0; i < bucket.params.size(); ++i) {
      if (bucket.values[flags + i] == 0.0f) continue;  // no rank had a gradient
      const float* sum = bucket.values.data() + bucket.offsets[i];
      Tensor& param = params[bucket.params[i]];
      if (param.grad().defined()) {
        std::copy(sum, sum + param.size(), param.mutable_grad().data());
      } else {
        xt::xarray<float> values = xt::xarray<float>::from_shape(param.value().shape());
        std::copy(sum, sum + values.size(), values.data());
        param.set_grad(Tensor::from(std::move(values)));
      }
    }
  }
};

GradientBuckets::GradientBuckets(nn::Module& model, BucketOptions options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.weight = 1.0f / static_cast<float>(world_size());
  // Reverse registration order: roughly the order in which backward() finishes the gradients.
  for (const Tensor& p : detail::each_once(model.parameters()))
    if (p.requires_grad()) s.params.push_back(p);
  std::reverse(s.params.begin(), s.params.end());

  std::size_t bytes = 0;
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    const std::size_t n = s.params[i].size();
    if (s.buckets.empty() || (bytes > 0 && bytes + n * sizeof(float) > options.bucket_bytes)) {
      s.buckets.emplace_back().offsets.push_back(0);
      bytes = 0;
    }
    State::Bucket& bucket = s.buckets.back();
    bucket.params.push_back(i);
    bucket.offsets.push_back(bucket.offsets.back() + n);
    bytes += n * sizeof(float);
    s.bucket_of.push_back(s.buckets.size() - 1);
  }
  for (auto& bucket : s.buckets) {
    bucket.values.resize(bucket.offsets.back() + bucket.params.size());
    if (bucket.values.size() > static_cast<std::size_t>(INT_MAX))
      throw Error("GradientBuckets: " + std::to_string(bucket.values.size()) +
                  " values are more than one MPI call takes");
    bucket.waiting = bucket.params.size();
  }
  s.requests.assign(s.buckets.size(), MPI_REQUEST_NULL);
  s.final_this_step.assign(s.params.size(), false);
  for (std::size_t i = 0; i < s.params.size(); ++i)
    s.hook_keys.push_back(s.params[i].register_post_accumulate_grad_hook(
        [state = state_.get(), i](const Tensor&) { state->gradient_final(i); }));
}

GradientBuckets::~GradientBuckets() {
  State& s = *state_;
  for (std::size_t i = 0; i < s.params.size(); ++i) s.params[i].remove_post_accumulate_grad_hook(s.hook_keys[i]);
  const bool in_flight =
      std::any_of(s.requests.begin(), s.requests.end(), [](MPI_Request r) { return r != MPI_REQUEST_NULL; });
  // A step abandoned by an exception: MPI may still write into the buffers, which must outlive
  // it. The process is about to end (see Context), so they are left to it.
  if (in_flight) state_.release();
}

void GradientBuckets::set_weight(double weight) { state_->weight = static_cast<float>(weight); }
void GradientBuckets::set_accumulating(bool accumulating) { state_->accumulating = accumulating; }

void GradientBuckets::synchronize() {
  State& s = *state_;
  while (s.next_to_start < s.buckets.size()) s.start(s.next_to_start++);
  detail::wait_all(s.requests, "GradientBuckets::synchronize");
  for (auto& bucket : s.buckets) {
    s.write_back(bucket);
    bucket.waiting = bucket.params.size();
  }
  s.next_to_start = 0;
  s.final_this_step.assign(s.params.size(), false);
}

std::size_t GradientBuckets::bucket_count() const { return state_->buckets.size(); }
std::size_t GradientBuckets::started_buckets() const { return state_->next_to_start; }

}  // namespace tg::dist
