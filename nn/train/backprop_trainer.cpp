#include "nn/train/backprop_trainer.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <xtensor/xview.hpp>

#include "autograd/grad_mode.hpp"
#include "nn/data/data_loader.hpp"
#include "nn/default_generator.hpp"
#include "ops/arithmetic.hpp"
#include "ops/math.hpp"
#include "ops/reduce.hpp"
#include "ops/softmax.hpp"

namespace tg::nn {
namespace {

// 0.5 * sum((target - output)^2) over all values; with a (steps, batch, 1) mask, only the
// values where it is 1.
double half_squared_error(const xt::xarray<float>& output, const xt::xarray<float>& target,
                          const xt::xarray<float>* mask = nullptr) {
  double sum = 0;
  for (std::size_t i = 0; i < output.size(); ++i) {
    if (mask && mask->flat(i / target.shape().back()) == 0) continue;
    const double d = static_cast<double>(target.flat(i)) - output.flat(i);
    sum += d * d;
  }
  return 0.5 * sum;
}

// (steps, dim) values as a network takes them: a batch of steps, or one sequence of steps.
Tensor as_input(const xt::xarray<float>& values, const Network& net) {
  xt::xarray<float> shaped = values;
  if (net.runs_over_time()) shaped.reshape({values.shape()[0], 1, values.shape()[1]});
  return Tensor::from(std::move(shaped));
}

// PyBrain's plateau test, rounded as it rounds: the last errors all equal to 10 decimals.
bool all_equal(const std::vector<double>& errors) {
  const auto rounded = [](double e) { return std::round(e * 1e10); };
  return std::all_of(errors.begin(), errors.end(), [&](double e) { return rounded(e) == rounded(errors.back()); });
}

}  // namespace

BackpropTrainer::BackpropTrainer(Network& net, const SequentialDataSet& data, const BackpropOptions& options)
    : BackpropTrainer(net, static_cast<const SupervisedDataSet&>(data), options) {
  sequences_ = &data;
}

BackpropTrainer::BackpropTrainer(Network& net, const SupervisedDataSet& data, const BackpropOptions& options)
    : net_(net), data_(&data), sequences_(nullptr), options_(options), rate_(options.learningrate),
      seed_(default_generator().next()) {
  const auto check = [](bool ok, const std::string& what) {
    if (!ok) throw Error("BackpropTrainer: " + what);
  };
  check(std::isfinite(options.learningrate) && options.learningrate > 0,
        "learningrate must be positive, got " + std::to_string(options.learningrate));
  check(std::isfinite(options.lrdecay) && options.lrdecay > 0, "lrdecay must be positive, got " + std::to_string(options.lrdecay));
  check(std::isfinite(options.momentum) && options.momentum >= 0 && options.momentum < 1,
        "momentum must be in [0, 1), got " + std::to_string(options.momentum));
  check(std::isfinite(options.weightdecay) && options.weightdecay >= 0,
        "weightdecay must not be negative, got " + std::to_string(options.weightdecay));
  for (const auto& p : net_.parameters()) velocity_.push_back(xt::zeros<float>(p.value().shape()));
}

void BackpropTrainer::check_data(const SupervisedDataSet& data, const char* op) const {
  if (data.empty()) throw Error(std::string(op) + ": the data set is empty");
  if (data.input_dim() != net_.sizes().front() || data.target_dim() != net_.sizes().back())
    throw Error(std::string(op) + ": the data set has " + std::to_string(data.input_dim()) + " inputs and " +
                std::to_string(data.target_dim()) + " targets per sample, but " + net_.describe() + " takes " +
                std::to_string(net_.sizes().front()) + " and gives " + std::to_string(net_.sizes().back()));
}

std::size_t BackpropTrainer::sequence_count() const {
  return sequences_ ? sequences_->num_sequences() : data_->size();
}

SequentialDataSet::Sequence BackpropTrainer::sequence(std::size_t index) const {
  if (sequences_) return sequences_->sequence(index);
  auto [input, target] = data_->sample(index);
  input.reshape({std::size_t(1), data_->input_dim()});
  target.reshape({std::size_t(1), data_->target_dim()});
  return {std::move(input), std::move(target)};
}

double BackpropTrainer::backpropagate(const SequentialDataSet::Sequence& sequence) {
  const Tensor input = as_input(sequence.inputs, net_), target = as_input(sequence.targets, net_);
  if (net_.options().out == LayerKind::Softmax) {
    const Tensor summed = net_.forward_to_out(input);
    const Tensor output = softmax(summed.detach(), -1);
    summed.backward((output - target).detach());  // the error passes the softmax unchanged
    return half_squared_error(output.value(), target.value());
  }
  const Tensor output = net_(input);
  (0.5f * sum(square(output - target))).backward();  // through time when the network runs over it
  return half_squared_error(output.value(), target.value());
}

void BackpropTrainer::step(const char* op) {
  NoGradGuard no_grad;
  auto parameters = net_.parameters();
  const auto momentum = static_cast<float>(options_.momentum), rate = static_cast<float>(rate_),
             decay = static_cast<float>(options_.weightdecay);
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    auto& w = parameters[i].mutable_value();
    const Tensor grad = parameters[i].grad();
    if (!grad.defined()) continue;
    velocity_[i] = momentum * velocity_[i] - rate * (grad.value() + decay * w);
    w += velocity_[i];
    if (!xt::all(xt::isfinite(w)))
      throw Error(std::string(op) + ": the weights '" + net_.named_parameters()[i].first +
                  "' are no longer finite (a learning rate too large?)");
  }
  net_.zero_grad();
  rate_ *= options_.lrdecay;
}

double BackpropTrainer::train() {
  check_data(*data_, "BackpropTrainer::train");
  net_.zero_grad();
  double errors = 0;
  for (const std::size_t index : shuffled_indices(sequence_count(), seed_, epochs_)) {
    errors += backpropagate(sequence(index));
    if (!options_.batchlearning) step("BackpropTrainer::train");
  }
  if (options_.batchlearning) step("BackpropTrainer::train");
  ++epochs_;
  return errors / static_cast<double>(data_->size() * data_->target_dim());
}

std::vector<double> BackpropTrainer::train_epochs(std::size_t epochs) {
  std::vector<double> errors;
  for (std::size_t e = 0; e < epochs; ++e) errors.push_back(train());
  return errors;
}

double BackpropTrainer::test_on_data(const SupervisedDataSet& data) { return test(data, nullptr); }

double BackpropTrainer::test_on_data(const SequentialDataSet& data) { return test(data, &data); }

double BackpropTrainer::test(const SupervisedDataSet& data, const SequentialDataSet* sequences) {
  check_data(data, "BackpropTrainer::test_on_data");
  NoGradGuard no_grad;
  const double values = static_cast<double>(data.size() * data.target_dim());
  if (!net_.runs_over_time())
    return half_squared_error(net_(Tensor::from(data.inputs())).value(), data.targets()) / values;
  if (!sequences) {  // every sample a sequence of one step: one batch of them
    xt::xarray<float> inputs = data.inputs();
    inputs.reshape({std::size_t(1), data.size(), data.input_dim()});
    return half_squared_error(net_(Tensor::from(std::move(inputs))).value(), data.targets()) / values;
  }
  // All sequences at once, padded to the longest: the padding comes after every real step.
  std::vector<std::size_t> all(sequences->num_sequences());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto batch = sequences->batch(all);
  return half_squared_error(net_(Tensor::from(batch.inputs)).value(), batch.targets, &batch.mask) / values;
}

std::pair<SequentialDataSet, SequentialDataSet> BackpropTrainer::split(double proportion, std::uint64_t seed) const {
  const std::size_t n = sequence_count();
  const auto chosen_count = static_cast<std::size_t>(static_cast<double>(n) * proportion);
  std::vector<bool> chosen(n, false);
  const auto order = shuffled_indices(n, seed, 0);
  for (std::size_t i = 0; i < chosen_count; ++i) chosen[order[i]] = true;
  std::pair<SequentialDataSet, SequentialDataSet> parts{{data_->input_dim(), data_->target_dim()},
                                                        {data_->input_dim(), data_->target_dim()}};
  for (std::size_t i = 0; i < n; ++i) {
    SequentialDataSet& part = chosen[i] ? parts.first : parts.second;
    const auto seq = sequence(i);
    part.new_sequence();
    for (std::size_t t = 0; t < seq.inputs.shape()[0]; ++t)
      part.add_sample(xt::xarray<float>(xt::row(seq.inputs, t)), xt::xarray<float>(xt::row(seq.targets, t)));
  }
  return parts;
}

BackpropTrainer::Convergence BackpropTrainer::train_until_convergence(const ConvergenceOptions& options) {
  const char* op = "BackpropTrainer::train_until_convergence";
  if (!(options.validation_proportion > 0 && options.validation_proportion < 1))
    throw Error(std::string(op) + ": validation_proportion must be in (0, 1), got " +
                std::to_string(options.validation_proportion));
  if (options.continue_epochs == 0) throw Error(std::string(op) + ": continue_epochs must be at least 1");
  check_data(*data_, op);
  const auto [training, validation] = split(1 - options.validation_proportion, default_generator().next());
  if (training.empty() || validation.empty())
    throw Error(std::string(op) + ": " + std::to_string(sequence_count()) + (sequences_ ? " sequences" : " samples") +
                " are too few to split into training and validation sets with validation_proportion " +
                std::to_string(options.validation_proportion));

  // Train on the training part; the whole data set again afterwards, even after an error.
  struct DataRestorer {
    BackpropTrainer& trainer;
    const SupervisedDataSet* data;
    const SequentialDataSet* sequences;
    ~DataRestorer() { trainer.data_ = data, trainer.sequences_ = sequences; }
  } restore{*this, data_, sequences_};
  data_ = sequences_ = &training;

  auto parameters = net_.parameters();
  const auto values = [&parameters] {
    std::vector<xt::xarray<float>> out;
    for (const auto& p : parameters) out.push_back(p.value());
    return out;
  };
  Convergence result;
  result.validation_errors.push_back(test_on_data(validation));
  std::vector<xt::xarray<float>> best = values();
  const std::size_t c = options.continue_epochs;
  for (std::size_t epoch = 1; epoch <= options.max_epochs; ++epoch) {
    result.train_errors.push_back(train());
    result.validation_errors.push_back(test_on_data(validation));
    const double error = result.validation_errors.back();
    if (!std::isfinite(result.train_errors.back()) || !std::isfinite(error))
      throw Error(std::string(op) + ": training produced a non-finite error in epoch " + std::to_string(epoch));
    if (epoch == 1 || error < result.validation_errors[result.best_epoch]) {
      result.best_epoch = epoch;
      best = values();
    }
    const auto& errors = result.validation_errors;
    if (errors.size() >= 2 * c) {
      const std::vector<double> before(errors.end() - 2 * c, errors.end() - c), last(errors.end() - c, errors.end());
      if (*std::min_element(last.begin(), last.end()) > *std::max_element(before.begin(), before.end()) ||
          all_equal(last))
        break;
    }
  }
  NoGradGuard no_grad;
  for (std::size_t i = 0; i < parameters.size(); ++i) parameters[i].mutable_value() = best[i];
  return result;
}

}  // namespace tg::nn
