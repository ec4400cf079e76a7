#include "autograd/gradcheck.hpp"

#include <cmath>
#include <sstream>
#include <string>

#include "autograd/engine.hpp"
#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "ops/shape.hpp"

namespace tg {
namespace {

// "(1,2)": the multi-index of element `flat` of a row-major array of `shape`.
std::string element_str(std::size_t flat, const Shape& shape) {
  Shape index(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_str(index);
}

std::string number_str(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

// Where each element of the flattened outputs comes from.
struct OutputLayout {
  std::vector<Shape> shapes;
  std::vector<std::size_t> offsets;  // of each output in the flattened vector, plus the total

  std::size_t total() const { return offsets.back(); }
  std::string describe(std::size_t column) const {
    std::size_t k = 0;
    while (offsets[k + 1] <= column) ++k;
    return "output " + std::to_string(k) + " element " + element_str(column - offsets[k], shapes[k]);
  }
};

OutputLayout layout_of(const std::vector<TensorD>& outputs, const std::string& caller) {
  OutputLayout layout;
  layout.offsets.push_back(0);
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (!outputs[k].defined()) throw Error(caller + ": output " + std::to_string(k) + " is an undefined tensor");
    layout.shapes.push_back(outputs[k].shape());
    layout.offsets.push_back(layout.offsets.back() + outputs[k].size());
  }
  return layout;
}

// fn at the inputs with element `e` of input `i` moved by `delta`, flattened.
std::vector<double> shifted_outputs(const GradcheckFn& fn, std::vector<TensorD> inputs, std::size_t i,
                                    std::size_t e, double delta, const OutputLayout& layout,
                                    const std::string& caller) {
  xt::xarray<double> value = inputs[i].value();
  value.data()[e] += delta;
  inputs[i] = TensorD::from(std::move(value), inputs[i].requires_grad());
  const std::vector<TensorD> outputs = fn(inputs);
  if (layout_of(outputs, caller).shapes != layout.shapes)
    throw Error(caller + ": fn returned outputs of different shapes when input " + std::to_string(i) +
                " was perturbed");
  std::vector<double> flat;
  flat.reserve(layout.total());
  for (const auto& out : outputs) flat.insert(flat.end(), out.value().data(), out.value().data() + out.size());
  return flat;
}

bool check(const GradcheckFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options,
           const std::string& caller) {
  // Fresh leaves with the same values and flags: the caller's tensors are never touched.
  std::vector<TensorD> leaves;
  std::vector<std::size_t> checked;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) throw Error(caller + ": input " + std::to_string(i) + " is an undefined tensor");
    leaves.push_back(TensorD::from(inputs[i].value(), inputs[i].requires_grad()));
    if (inputs[i].requires_grad()) checked.push_back(i);
  }
  if (checked.empty()) throw Error(caller + ": no input requires grad, so there is nothing to check");
  std::vector<TensorD> wrt;
  for (std::size_t i : checked) wrt.push_back(leaves[i]);

  GradModeGuard recording(true);
  const std::vector<TensorD> outputs = fn(leaves);
  const OutputLayout layout = layout_of(outputs, caller);
  const std::size_t columns = layout.total();

  // analytical[c][e * columns + r]: d(output element r)/d(element e of checked input c), one
  // backward per output element.
  std::vector<std::vector<double>> analytical;
  for (std::size_t i : checked) analytical.emplace_back(leaves[i].size() * columns, 0.0);
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (!outputs[k].requires_grad()) continue;  // depends on no input: a zero block
    for (std::size_t j = 0; j < outputs[k].size(); ++j) {
      xt::xarray<double> seed = xt::zeros<double>(outputs[k].value().shape());
      seed.data()[j] = 1.0;
      const auto grads = grad({outputs[k]}, wrt, {TensorD::from(std::move(seed))},
                              {.retain_graph = true, .allow_unused = true});
      for (std::size_t c = 0; c < checked.size(); ++c) {
        if (!grads[c].defined()) continue;
        if (grads[c].value().shape() != leaves[checked[c]].value().shape())
          throw Error(caller + ": the gradient of input " + std::to_string(checked[c]) + " has shape " +
                      shape_str(grads[c].value().shape()) + " but the input has shape " +
                      shape_str(leaves[checked[c]].value().shape()));
        const double* g = grads[c].value().data();
        for (std::size_t e = 0; e < grads[c].size(); ++e) analytical[c][e * columns + layout.offsets[k] + j] = g[e];
      }
    }
  }

  for (std::size_t c = 0; c < checked.size(); ++c) {
    const std::size_t i = checked[c];
    for (std::size_t e = 0; e < leaves[i].size(); ++e) {
      const auto plus = shifted_outputs(fn, leaves, i, e, options.eps, layout, caller);
      const auto minus = shifted_outputs(fn, leaves, i, e, -options.eps, layout, caller);
      for (std::size_t r = 0; r < columns; ++r) {
        const double numerical = (plus[r] - minus[r]) / (2 * options.eps);
        const double a = analytical[c][e * columns + r];
        if (std::abs(a - numerical) <= options.atol + options.rtol * std::abs(numerical)) continue;
        if (!options.raise) return false;
        throw GradcheckError(caller + ": Jacobian mismatch for input " + std::to_string(i) + " at element " +
                             element_str(e, leaves[i].shape()) + " (" + layout.describe(r) + "): numerical " +
                             number_str(numerical) + ", analytical " + number_str(a) + " (atol " +
                             number_str(options.atol) + ", rtol " + number_str(options.rtol) + ")");
      }
    }
  }
  return true;
}

GradcheckFn as_multi_output(const GradcheckSingleFn& fn) {
  return [fn](const std::vector<TensorD>& inputs) { return std::vector<TensorD>{fn(inputs)}; };
}

// Fixed grad_outputs: the same on every machine, so a failure always reproduces.
std::vector<TensorD> random_grad_outputs(const std::vector<TensorD>& outputs) {
  Generator gen(20240601);
  std::vector<TensorD> vs;
  for (const auto& out : outputs) vs.push_back(uniform<double>(out.shape(), -1.0, 1.0, gen));
  return vs;
}

}  // namespace

bool gradcheck(const GradcheckFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options) {
  return check(fn, inputs, options, "gradcheck");
}

bool gradcheck(const GradcheckSingleFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options) {
  return check(as_multi_output(fn), inputs, options, "gradcheck");
}

bool gradgradcheck(const GradcheckFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options) {
  std::vector<TensorD> grad_outputs;
  {
    GradModeGuard recording(true);
    grad_outputs = random_grad_outputs(fn(inputs));
  }
  // The first derivatives, recorded, flattened and concatenated into one output.
  GradcheckFn first_derivatives = [fn, grad_outputs](const std::vector<TensorD>& xs) {
    const std::vector<TensorD> outputs = fn(xs);
    std::vector<TensorD> used, seeds, wrt;
    for (std::size_t k = 0; k < outputs.size(); ++k)
      if (outputs[k].requires_grad()) {
        used.push_back(outputs[k]);
        seeds.push_back(grad_outputs[k]);
      }
    for (const auto& x : xs)
      if (x.requires_grad()) wrt.push_back(x);
    std::vector<TensorD> flat;
    if (!used.empty())
      for (const auto& g : grad(used, wrt, seeds, {.retain_graph = true, .create_graph = true, .allow_unused = true}))
        if (g.defined()) flat.push_back(reshape(g, {g.size()}));
    if (flat.empty()) return std::vector<TensorD>{};
    return std::vector<TensorD>{concat(flat, 0)};
  };
  return check(first_derivatives, inputs, options, "gradgradcheck");
}

bool gradgradcheck(const GradcheckSingleFn& fn, const std::vector<TensorD>& inputs, const GradcheckOptions& options) {
  return gradgradcheck(as_multi_output(fn), inputs, options);
}

}  // namespace tg
