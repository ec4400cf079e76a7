#pragma once
// Losses, composed from tg operations so that the tape supplies their gradients. Each takes
// (prediction, target, reduction): None keeps one loss per element (per row for the
// classification losses), Mean averages them and Sum adds them up. Bad input (shapes that
// differ, labels out of range, probabilities outside [0, 1]) throws tg::Error naming the loss.
#include <cstddef>
#include <initializer_list>

#include "autograd/tensor.hpp"
#include "nn/labels.hpp"

namespace tg::nn {

enum class Reduction { None, Mean, Sum };

// (prediction - target)^2 summed: the loss of the from-scratch tutorials, so unlike the others
// its default reduction is Sum. (The tutorials' SSE/2 is 0.5f * sse_loss(y, t).)
template <class T>
BasicTensor<T> sse_loss(const BasicTensor<T>& prediction, const BasicTensor<T>& target,
                        Reduction reduction = Reduction::Sum);
// (prediction - target)^2 averaged.
template <class T>
BasicTensor<T> mse_loss(const BasicTensor<T>& prediction, const BasicTensor<T>& target,
                        Reduction reduction = Reduction::Mean);

// logits (N, C) and a class label per row: -log_softmax(logits)[i, label_i], computed stably.
template <class T>
BasicTensor<T> cross_entropy(const BasicTensor<T>& logits, const Labels& labels, Reduction reduction = Reduction::Mean);
// Braced labels: without it `cross_entropy(logits, {0})` could also mean a tensor target.
template <class T>
BasicTensor<T> cross_entropy(const BasicTensor<T>& logits, std::initializer_list<std::size_t> labels,
                             Reduction reduction = Reduction::Mean) {
  return cross_entropy(logits, Labels(labels), reduction);
}
// logits (N, C) and target probabilities of the same shape, one-hot or soft:
// -sum_c target[i, c] * log_softmax(logits)[i, c].
template <class T>
BasicTensor<T> cross_entropy(const BasicTensor<T>& logits, const BasicTensor<T>& target,
                             Reduction reduction = Reduction::Mean);
// log-probabilities (N, C), e.g. from log_softmax, and a class label per row: -log_probs[i, label_i].
template <class T>
BasicTensor<T> nll_loss(const BasicTensor<T>& log_probs, const Labels& labels, Reduction reduction = Reduction::Mean);

// -(t log p + (1 - t) log(1 - p)) for probabilities p and targets t in [0, 1]; each log is
// clamped at -100 as in PyTorch, so p = 0 or 1 gives a finite loss and gradient.
template <class T>
BasicTensor<T> binary_cross_entropy(const BasicTensor<T>& probs, const BasicTensor<T>& target,
                                    Reduction reduction = Reduction::Mean);
// binary_cross_entropy(sigmoid(x), t) without its overflow: softplus(x) - x t, which equals
// max(x, 0) - x t + log(1 + exp(-|x|)).
template <class T>
BasicTensor<T> binary_cross_entropy_with_logits(const BasicTensor<T>& logits, const BasicTensor<T>& target,
                                                Reduction reduction = Reduction::Mean);

// The losses as function objects, for fit() and anywhere a callable is wanted:
//   tg::nn::fit(model, tg::nn::CrossEntropyLoss{}, optimizer, {x, labels});
// Each takes (prediction, target) in float or double, with the reduction it holds.
struct SSELoss {
  Reduction reduction = Reduction::Sum;
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& prediction, const BasicTensor<T>& target) const {
    return sse_loss(prediction, target, reduction);
  }
};

struct MSELoss {
  Reduction reduction = Reduction::Mean;
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& prediction, const BasicTensor<T>& target) const {
    return mse_loss(prediction, target, reduction);
  }
};

// Against class labels or target probabilities, as cross_entropy.
struct CrossEntropyLoss {
  Reduction reduction = Reduction::Mean;
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& logits, const Labels& labels) const {
    return cross_entropy(logits, labels, reduction);
  }
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& logits, const BasicTensor<T>& target) const {
    return cross_entropy(logits, target, reduction);
  }
};

struct NLLLoss {
  Reduction reduction = Reduction::Mean;
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& log_probs, const Labels& labels) const {
    return nll_loss(log_probs, labels, reduction);
  }
};

struct BCELoss {
  Reduction reduction = Reduction::Mean;
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& probs, const BasicTensor<T>& target) const {
    return binary_cross_entropy(probs, target, reduction);
  }
};

struct BCEWithLogitsLoss {
  Reduction reduction = Reduction::Mean;
  template <class T>
  BasicTensor<T> operator()(const BasicTensor<T>& logits, const BasicTensor<T>& target) const {
    return binary_cross_entropy_with_logits(logits, target, reduction);
  }
};

}  // namespace tg::nn
