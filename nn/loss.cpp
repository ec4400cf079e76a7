#include "nn/loss.hpp"

#include <limits>
#include <memory>
#include <vector>

#include "autograd/factory.hpp"
#include "ops/activation.hpp"
#include "ops/gather.hpp"
#include "ops/math.hpp"
#include "ops/reduce.hpp"
#include "ops/select.hpp"
#include "ops/softmax.hpp"

namespace tg::nn {
namespace {

template <class T>
BasicTensor<T> reduce(const BasicTensor<T>& losses, Reduction reduction) {
  switch (reduction) {
    case Reduction::None: return losses;
    case Reduction::Sum: return sum(losses);
    case Reduction::Mean: return mean(losses);
  }
  throw Error("loss: unknown reduction");
}

template <class T>
void check_same_shape(const char* loss, const BasicTensor<T>& prediction, const BasicTensor<T>& target) {
  if (prediction.shape() != target.shape())
    throw Error(std::string(loss) + ": prediction has shape " + shape_str(prediction.shape()) +
                " but target has shape " + shape_str(target.shape()));
}

template <class T>
void check_probabilities(const char* loss, const char* what, const BasicTensor<T>& t) {
  const auto& v = t.value();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const T p = v.data()[i];
    if (!(p >= T(0) && p <= T(1)))
      throw Error(std::string(loss) + ": " + what + " holds " + std::to_string(p) + " at flat index " +
                  std::to_string(i) + ", outside [0, 1]");
  }
}

// Checks that `scores` is (N, C) with one label in [0, C) per row.
template <class T>
void check_labels(const char* loss, const BasicTensor<T>& scores, const Labels& labels) {
  const Shape shape = scores.shape();
  if (shape.size() != 2) throw Error(std::string(loss) + ": the scores must be (N, C), got shape " + shape_str(shape));
  if (labels.size() != shape[0])
    throw Error(std::string(loss) + ": " + std::to_string(labels.size()) + " labels for " + std::to_string(shape[0]) +
                " rows of scores of shape " + shape_str(shape));
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= shape[1])
      throw Error(std::string(loss) + ": label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                  " is out of range for " + std::to_string(shape[1]) + " classes");
}

// -log_probs[i, labels[i]] per row, gathered: the other entries never enter, so a class masked by
// a -inf logit (log-probability -inf) does not turn the loss into 0 * -inf = NaN.
template <class T>
BasicTensor<T> picked_nll(const BasicTensor<T>& log_probs, const Labels& labels, Reduction reduction) {
  const std::size_t classes = log_probs.value().shape()[1];
  auto positions = std::make_shared<std::vector<std::size_t>>(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) (*positions)[i] = i * classes + labels[i];
  return reduce(-gather(log_probs, Index(std::move(positions)), {labels.size()}), reduction);
}

// log(x) clamped below at -100; at x = 0 the gradient is 0 rather than 0 * inf.
template <class T>
BasicTensor<T> clamped_log(const BasicTensor<T>& x) {
  const Shape shape = x.shape();
  const BasicTensor<T> positive = gt(x, zeros<T>(shape));
  const BasicTensor<T> safe = where(positive, x, ones<T>(shape));
  return where(positive, clamp(log(safe), T(-100), std::numeric_limits<T>::infinity()), full<T>(shape, T(-100)));
}

}  // namespace

template <class T>
BasicTensor<T> sse_loss(const BasicTensor<T>& prediction, const BasicTensor<T>& target, Reduction reduction) {
  check_same_shape("sse_loss", prediction, target);
  return reduce(square(prediction - target), reduction);
}

template <class T>
BasicTensor<T> mse_loss(const BasicTensor<T>& prediction, const BasicTensor<T>& target, Reduction reduction) {
  check_same_shape("mse_loss", prediction, target);
  return reduce(square(prediction - target), reduction);
}

template <class T>
BasicTensor<T> cross_entropy(const BasicTensor<T>& logits, const Labels& labels, Reduction reduction) {
  check_labels("cross_entropy", logits, labels);
  return picked_nll(log_softmax(logits, 1), labels, reduction);
}

template <class T>
BasicTensor<T> cross_entropy(const BasicTensor<T>& logits, const BasicTensor<T>& target, Reduction reduction) {
  if (logits.dim() != 2)
    throw Error("cross_entropy: the logits must be (N, C), got shape " + shape_str(logits.shape()));
  check_same_shape("cross_entropy", logits, target);
  check_probabilities("cross_entropy", "target", target);
  return reduce(-sum(target * log_softmax(logits, 1), {1}), reduction);
}

template <class T>
BasicTensor<T> nll_loss(const BasicTensor<T>& log_probs, const Labels& labels, Reduction reduction) {
  check_labels("nll_loss", log_probs, labels);
  return picked_nll(log_probs, labels, reduction);
}

template <class T>
BasicTensor<T> binary_cross_entropy(const BasicTensor<T>& probs, const BasicTensor<T>& target, Reduction reduction) {
  check_same_shape("binary_cross_entropy", probs, target);
  check_probabilities("binary_cross_entropy", "prediction", probs);
  check_probabilities("binary_cross_entropy", "target", target);
  return reduce(-(target * clamped_log(probs) + rsub(T(1), target) * clamped_log(rsub(T(1), probs))), reduction);
}

template <class T>
BasicTensor<T> binary_cross_entropy_with_logits(const BasicTensor<T>& logits, const BasicTensor<T>& target,
                                                Reduction reduction) {
  check_same_shape("binary_cross_entropy_with_logits", logits, target);
  check_probabilities("binary_cross_entropy_with_logits", "target", target);
  return reduce(softplus(logits) - logits * target, reduction);
}

#define TG_INSTANTIATE(T)                                                                                       \
  template BasicTensor<T> sse_loss(const BasicTensor<T>&, const BasicTensor<T>&, Reduction);                    \
  template BasicTensor<T> mse_loss(const BasicTensor<T>&, const BasicTensor<T>&, Reduction);                    \
  template BasicTensor<T> cross_entropy(const BasicTensor<T>&, const Labels&, Reduction);                       \
  template BasicTensor<T> cross_entropy(const BasicTensor<T>&, const BasicTensor<T>&, Reduction);               \
  template BasicTensor<T> nll_loss(const BasicTensor<T>&, const Labels&, Reduction);                            \
  template BasicTensor<T> binary_cross_entropy(const BasicTensor<T>&, const BasicTensor<T>&, Reduction);        \
  template BasicTensor<T> binary_cross_entropy_with_logits(const BasicTensor<T>&, const BasicTensor<T>&, Reduction);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg::nn
