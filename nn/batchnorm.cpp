#include "nn/batchnorm.hpp"

#include <sstream>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "ops/math.hpp"
#include "ops/reduce.hpp"
#include "ops/shape.hpp"

namespace tg::nn {
namespace {

// The running average moved towards a batch statistic of shape (1,C,1,...), off the tape.
template <class T>
void update_running(BasicTensor<T> running, const xt::xarray<T>& batch, T momentum, T scale) {
  xt::xarray<T> statistic = batch;
  statistic.reshape(running.value().shape());
  NoGradGuard no_grad;
  xt::xarray<T>& value = running.mutable_value();
  value = (T(1) - momentum) * value + momentum * scale * statistic;
}

}  // namespace

template <class T>
BasicTensor<T> batch_norm(const BasicTensor<T>& x, const BasicTensor<T>& running_mean,
                          const BasicTensor<T>& running_var, const BasicTensor<T>& weight, const BasicTensor<T>& bias,
                          bool training, double momentum, double eps) {
  const Shape in = x.shape();
  if (in.size() < 2) throw Error("batch_norm: the input must be (N,C,...), got shape " + shape_str(in));
  const std::size_t channels = in[1];
  for (const auto& [what, t] : {std::pair{"running_mean", running_mean}, std::pair{"running_var", running_var},
                                std::pair{"weight", weight}, std::pair{"bias", bias}})
    if (t.defined() && t.shape() != Shape{channels})
      throw Error(std::string("batch_norm: ") + what + " of shape " + shape_str(t.shape()) +
                  " does not fit input of shape " + shape_str(in) + " with " + std::to_string(channels) +
                  " channels");
  Shape per_channel(in.size(), 1);  // (1,C,1,...): broadcasts against x
  per_channel[1] = channels;
  Axes axes;
  for (std::size_t d = 0; d < in.size(); ++d)
    if (d != 1) axes.push_back(static_cast<int>(d));

  BasicTensor<T> y;
  if (training) {
    const std::size_t count = channels ? x.size() / channels : 0;
    if (count < 2)
      throw Error("batch_norm: training needs more than one value per channel, got input of shape " + shape_str(in));
    const BasicTensor<T> batch_mean = mean(x, axes, true);
    const BasicTensor<T> centered = x - batch_mean;
    const BasicTensor<T> batch_var = mean(square(centered), axes, true);
    y = centered / sqrt(batch_var + T(eps));
    const T m = static_cast<T>(momentum);
    if (running_mean.defined()) update_running(running_mean, batch_mean.value(), m, T(1));
    if (running_var.defined())
      update_running(running_var, batch_var.value(), m, static_cast<T>(count) / static_cast<T>(count - 1));
  } else {
    if (!running_mean.defined() || !running_var.defined())
      throw Error("batch_norm: evaluation needs running_mean and running_var");
    y = (x - reshape(running_mean.detach(), per_channel)) / sqrt(reshape(running_var.detach(), per_channel) + T(eps));
  }
  if (weight.defined()) y = y * reshape(weight, per_channel);
  if (bias.defined()) y = y + reshape(bias, per_channel);
  return y;
}

template BasicTensor<float> batch_norm(const BasicTensor<float>&, const BasicTensor<float>&, const BasicTensor<float>&,
                                       const BasicTensor<float>&, const BasicTensor<float>&, bool, double, double);
template BasicTensor<double> batch_norm(const BasicTensor<double>&, const BasicTensor<double>&,
                                        const BasicTensor<double>&, const BasicTensor<double>&,
                                        const BasicTensor<double>&, bool, double, double);

template <class T>
BasicBatchNorm<T>::BasicBatchNorm(std::size_t num_features, const BatchNormOptions& options)
    : num_features_(num_features), options_(options) {
  if (options.affine) {
    weight = ones<T>({num_features});
    bias = zeros<T>({num_features});
    this->register_parameter("weight", &BasicBatchNorm::weight);
    this->register_parameter("bias", &BasicBatchNorm::bias);
  }
  running_mean = zeros<T>({num_features});
  running_var = ones<T>({num_features});
  this->register_buffer("running_mean", &BasicBatchNorm::running_mean);
  this->register_buffer("running_var", &BasicBatchNorm::running_var);
}

template <class T>
BasicTensor<T> BasicBatchNorm<T>::forward(const BasicTensor<T>& x) {
  check_input(x.shape());
  return batch_norm(x, running_mean, running_var, weight, bias, this->is_training(), options_.momentum, options_.eps);
}

template <class T>
std::string BasicBatchNorm<T>::describe() const {
  std::ostringstream s;
  s << this->name() << "(" << num_features_;
  if (options_.eps != 1e-5) s << ", eps=" << options_.eps;
  if (options_.momentum != 0.1) s << ", momentum=" << options_.momentum;
  if (!options_.affine) s << ", no affine";
  s << ")";
  return s.str();
}

template <class T>
BasicBatchNorm1d<T>::BasicBatchNorm1d(std::size_t num_features, const BatchNormOptions& options)
    : BasicBatchNorm<T>(num_features, options) {}

template <class T>
void BasicBatchNorm1d<T>::check_input(const Shape& shape) const {
  if (shape.size() != 2 && shape.size() != 3)
    throw Error("BatchNorm1d: the input must be (N,C) or (N,C,L), got shape " + shape_str(shape));
}

template <class T>
BasicBatchNorm2d<T>::BasicBatchNorm2d(std::size_t num_features, const BatchNormOptions& options)
    : BasicBatchNorm<T>(num_features, options) {}

template <class T>
void BasicBatchNorm2d<T>::check_input(const Shape& shape) const {
  if (shape.size() != 4) throw Error("BatchNorm2d: the input must be (N,C,H,W), got shape " + shape_str(shape));
}

template class BasicBatchNorm<float>;
template class BasicBatchNorm<double>;
template class BasicBatchNorm1d<float>;
template class BasicBatchNorm1d<double>;
template class BasicBatchNorm2d<float>;
template class BasicBatchNorm2d<double>;

}  // namespace tg::nn
