#include "nn/network.hpp"

#include <algorithm>
#include <ostream>

#include <xtensor/xadapt.hpp>

#include "autograd/factory.hpp"
#include "autograd/grad_mode.hpp"
#include "nn/init.hpp"
#include "nn/linear.hpp"
#include "ops/arithmetic.hpp"
#include "ops/shape.hpp"

namespace tg::nn {
namespace {

std::string hidden_name(std::size_t i) { return "hidden" + std::to_string(i); }

const Tensor* find(const std::vector<std::pair<std::string, Tensor>>& values, const std::string& name) {
  const auto it = std::find_if(values.begin(), values.end(), [&](const auto& entry) { return entry.first == name; });
  return it == values.end() ? nullptr : &it->second;
}

}  // namespace

Network::Network(const std::vector<std::size_t>& sizes, const NetworkOptions& options, Generator& gen)
    : sizes_(sizes), options_(options) {
  if (sizes.size() < 2)
    throw Error("build_network: needs the sizes of the input and output layers at least, got " +
                std::to_string(sizes.size()) + " sizes");
  if (std::find(sizes.begin(), sizes.end(), 0) != sizes.end())
    throw Error("build_network: every layer needs at least one unit");
  const std::size_t hidden_layers = sizes.size() - 2;
  if (options.out == LayerKind::LSTM) throw Error("build_network: the output layer cannot be an LSTM layer");
  if (options.hidden == LayerKind::LSTM && hidden_layers > 1)
    throw Error("build_network: LSTM networks with more than one hidden layer are not supported (as in PyBrain)");
  // Built in buildNetwork's order: the layers, then the connections, bias first.
  register_module("in", NetworkLayer(LayerKind::Linear, sizes.front(), "in"));
  for (std::size_t i = 0; i < hidden_layers; ++i) {
    register_module(hidden_name(i), NetworkLayer(options.hidden, sizes[i + 1], hidden_name(i)));
    order_.push_back(hidden_name(i));
  }
  register_module("out", NetworkLayer(options.out, sizes.back(), "out"));
  order_.push_back("out");
  if (options.bias) {
    register_module("bias", BiasUnit("bias"));
    add_connection("bias", "out", false, gen);
    for (std::size_t i = 0; i < hidden_layers; ++i) add_connection("bias", hidden_name(i), false, gen);
  }
  for (std::size_t i = 0; i + 1 < hidden_layers; ++i) add_connection(hidden_name(i), hidden_name(i + 1), false, gen);
  if (hidden_layers == 0) {
    add_connection("in", "out", false, gen);
  } else {
    add_connection("in", hidden_name(0), false, gen);
    add_connection(hidden_name(hidden_layers - 1), "out", false, gen);
  }
  if (options.recurrent && options.hidden == LayerKind::LSTM && hidden_layers == 1)
    add_connection("hidden0", "hidden0", true, gen);
}

const NetworkLayer& Network::layer(const std::string& name) const {
  return static_cast<const NetworkLayer&>((*this)[name]);
}

void Network::add_connection(const std::string& from, const std::string& to, bool recurrent, Generator& gen) {
  const std::size_t rows = layer(to).input_size();
  Tensor weight = from == "bias" ? zeros<float>({rows}) : zeros<float>({rows, layer(from).size()});
  init::normal_(weight, 0.0, 1.0, gen);
  connections_.push_back({from, to, recurrent});
  register_parameter(connections_.back().parameter(), weight);
}

void Network::add_recurrent_connection(const std::string& from, const std::string& to, Generator& gen) {
  const std::string op = "add_recurrent_connection('" + from + "', '" + to + "'): ";
  if (!options_.recurrent) throw Error(op + describe() + " is not recurrent (build it with .recurrent = true)");
  (void)(*this)[from], (void)(*this)[to];  // both must exist
  if (from == "bias" || to == "in" || to == "bias")
    throw Error(op + "the bias unit and the input layer take no recurrent connection");
  for (const auto& c : connections_)
    if (c.recurrent && c.from == from && c.to == to) throw Error(op + "the network has that connection already");
  add_connection(from, to, true, gen);
  added_.emplace_back(from, to);
}

bool Network::runs_over_time() const { return options_.recurrent || (options_.hidden == LayerKind::LSTM && sizes_.size() > 2); }

Tensor Network::layer_input(const std::string& name, const Step& now, const Step& before) {
  Tensor sum;
  for (const auto& c : connections_) {
    if (c.to != name) continue;
    const Tensor& weight = tensor(c.parameter());
    const Tensor* from = c.from == "bias" ? nullptr : find(c.recurrent ? before.outputs : now.outputs, c.from);
    if (c.from != "bias" && !from) continue;  // the first step: nothing came before
    const Tensor term = c.from == "bias" ? weight : linear(*from, weight);
    sum = sum.defined() ? sum + term : term;
  }
  return sum;
}

Network::Run Network::step(const Tensor& x, const Step& before, Step& now) {
  now.outputs = {{"in", (*this)["in"](x)}};
  now.cells.clear();
  for (const auto& name : order_) {
    const Tensor input = layer_input(name, now, before);
    const NetworkLayer& unit = layer(name);
    if (name == "out") {
      const Tensor output = (*this)["out"](input);
      now.outputs.emplace_back(name, output);
      return {input, output};
    }
    if (unit.kind() == LayerKind::LSTM) {
      const Tensor* cell = find(before.cells, name);
      auto [output, next_cell] = unit.lstm_step(input, cell ? *cell : Tensor());
      now.outputs.emplace_back(name, output);
      now.cells.emplace_back(name, next_cell);
    } else {
      now.outputs.emplace_back(name, (*this)[name](input));
    }
  }
  throw Error(describe() + ": has no 'out' layer");
}

Network::Run Network::run(const Tensor& x) {
  const std::size_t inputs = sizes_.front();
  if (!runs_over_time()) {
    if (x.dim() != 2 || x.shape()[1] != inputs)
      throw Error(describe() + ": the input must be (batch, " + std::to_string(inputs) + "), got shape " +
                  shape_str(x.shape()));
    Step now;
    return step(x, {}, now);
  }
  if (x.dim() != 3 || x.shape()[0] == 0 || x.shape()[2] != inputs)
    throw Error(describe() + ": the input must be (steps, batch, " + std::to_string(inputs) +
                ") with at least one step, got shape " + shape_str(x.shape()));
  const std::size_t steps = x.shape()[0], batch = x.shape()[1];
  std::vector<Tensor> summed, outputs;
  Step before;
  for (std::size_t t = 0; t < steps; ++t) {
    const auto at = static_cast<std::ptrdiff_t>(t);
    Step now;
    const Run r = step(reshape(slice(x, {Slice{at, at + 1}}), {batch, inputs}), before, now);
    summed.push_back(r.summed);
    outputs.push_back(r.output);
    before = std::move(now);
  }
  return {stack(summed, 0), stack(outputs, 0)};
}

Tensor Network::forward_to_out(const Tensor& x) { return run(x).summed; }

Tensor Network::forward(const Tensor& x) { return run(x).output; }

std::vector<float> Network::activate(const std::vector<float>& sample) {
  if (sample.size() != sizes_.front())
    throw Error("activate: the network takes " + std::to_string(sizes_.front()) + " inputs, got " +
                std::to_string(sample.size()));
  NoGradGuard no_grad;
  xt::xarray<float> input = xt::adapt(sample, std::vector<std::size_t>{1, sample.size()});
  Step now;
  const Tensor y = step(Tensor::from(std::move(input)), runs_over_time() ? state_ : Step(), now).output;
  if (runs_over_time()) state_ = std::move(now);
  return {y.value().begin(), y.value().end()};
}

void Network::reset() { state_ = {}; }

Module& Network::operator[](const std::string& layer) {
  return const_cast<Module&>(static_cast<const Network&>(*this)[layer]);
}

const Module& Network::operator[](const std::string& layer) const {
  std::string names;
  for (const auto& [name, module] : named_children()) {
    if (name == layer) return *module;
    names += (names.empty() ? "'" : ", '") + name + "'";
  }
  throw Error("Network: no layer named '" + layer + "'; its layers are " + names);
}

std::string Network::describe() const {
  std::string text = options_.recurrent ? "RecurrentNetwork(" : "FeedForwardNetwork(";
  for (std::size_t i = 0; i < sizes_.size(); ++i) text.append(i ? "-" : "").append(std::to_string(sizes_[i]));
  text.append(", ").append(layer_kind_name(options_.hidden)).append("Layer hidden, ");
  text.append(layer_kind_name(options_.out)).append("Layer out");
  text += options_.bias ? ", bias)" : ")";
  return text;
}

std::shared_ptr<Network> build_network(const std::vector<std::size_t>& sizes, const NetworkOptions& options) {
  return std::make_shared<Network>(sizes, options);
}

std::ostream& operator<<(std::ostream& out, const Module& module) { return out << module.describe(); }

}  // namespace tg::nn
