// PyBrain's recurrent network on its parity task: buildNetwork(1, 2, 1, bias=True,
// hiddenclass=TanhLayer, outclass=TanhLayer, recurrent=True) with the recurrent connection
// net.addRecurrentConnection(FullConnection(net['out'], net['hidden0'])), trained as
// BackpropTrainer(net, ParityDataSet(), learningrate=0.05) does for 1,000 epochs: sequences in
// random order, backpropagation through time over each, one update per sequence. Then the same
// task learned by an LSTM layer, all five sequences in one padded batch.
//   --epochs N (1000)  --seed S: PyBrain's N(0, 1) starting weights (some seeds end in a local
//   optimum, as PyBrain's own parity example warns)
#include <cstdio>
#include <vector>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "tapegrad.hpp"

namespace {

using tg::Tensor;

// PyBrain's ParityDataSet: at every step the target is +1 when the inputs so far hold an odd
// number of +1s, else -1.
tg::nn::SequentialDataSet parity_data_set() {
  const std::vector<std::vector<float>> inputs = {
      {-1, 1, 1}, {1, 1}, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, -1, -1, -1, -1, -1, -1, -1, 1, -1, -1, -1, -1, -1},
      {-1, -1, 1}};
  tg::nn::SequentialDataSet ds(1, 1);
  for (const auto& sequence : inputs) {
    ds.new_sequence();
    bool odd = false;
    for (float x : sequence) {
      odd ^= x > 0;
      ds.add_sample(xt::xarray<float>{x}, xt::xarray<float>{odd ? 1.0f : -1.0f});
    }
  }
  return ds;
}

// in -> hidden0 (2 tanh units) -> out (1 tanh unit), a bias unit feeding both, and out's value
// at the previous step feeding hidden0: PyBrain's 9 parameters, drawn from N(0, 1).
struct ParityNet {
  Tensor in_hidden, out_hidden, bias_hidden, hidden_out, bias_out;
  explicit ParityNet(tg::Generator& gen)
      : in_hidden(tg::randn<float>({1, 2}, gen, true)),
        out_hidden(tg::randn<float>({1, 2}, gen, true)),
        bias_hidden(tg::randn<float>({2}, gen, true)),
        hidden_out(tg::randn<float>({2, 1}, gen, true)),
        bias_out(tg::randn<float>({1}, gen, true)) {}
  std::vector<Tensor> parameters() const { return {in_hidden, out_hidden, bias_hidden, hidden_out, bias_out}; }

  // The outputs for one sequence (steps, 1), from a reset network.
  Tensor forward(const xt::xarray<float>& inputs) const {
    Tensor out = tg::zeros<float>({1, 1});
    std::vector<Tensor> outputs;
    for (std::size_t t = 0; t < inputs.shape()[0]; ++t) {
      const auto x = tg::full<float>({1, 1}, inputs(t, 0));
      const auto hidden = tg::tanh(tg::matmul(x, in_hidden) + tg::matmul(out, out_hidden) + bias_hidden);
      out = tg::tanh(tg::matmul(hidden, hidden_out) + bias_out);
      outputs.push_back(out);
    }
    return tg::concat(outputs, 0);
  }
};

// Prints every step of every sequence and counts the outputs whose sign is the target's.
std::size_t print_outputs(const std::string& who, const tg::nn::SequentialDataSet& ds,
                          const std::vector<xt::xarray<float>>& outputs) {
  std::size_t right = 0;
  for (std::size_t s = 0; s < ds.num_sequences(); ++s) {
    const auto seq = ds.sequence(s);
    std::printf("%s, sequence %zu:\n", who.c_str(), s + 1);
    for (std::size_t t = 0; t < seq.inputs.shape()[0]; ++t) {
      const float target = seq.targets(t, 0), output = outputs[s](t);
      right += (output > 0) == (target > 0);
      std::printf("  input %2g  target %2g  output %8.5f\n", seq.inputs(t, 0), target, output);
    }
  }
  std::printf("%s: %zu of %zu steps have the target's sign\n", who.c_str(), right, ds.size());
  return right;
}

}  // namespace

int main(int argc, char** argv) {
  const examples::Args args(argc, argv, {{"epochs", "1000"}, {"seed", "3"}});
  const auto ds = parity_data_set();
  const auto sequences = ds.sequences();

  tg::Generator gen(args.count("seed"));
  ParityNet net(gen);
  tg::optim::SGD trainer(net.parameters(), {.lr = 0.05});
  std::vector<std::size_t> order(ds.num_sequences());
  for (std::size_t epoch = 1; epoch <= args.count("epochs"); ++epoch) {
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[std::size_t(gen.uniform() * i)]);
    double error = 0;  // PyBrain's: half the squared error, summed, then averaged over the steps
    for (std::size_t s : order) {
      const auto loss = 0.5f * tg::sum(tg::square(net.forward(sequences[s].inputs) - Tensor::from(sequences[s].targets)));
      trainer.zero_grad();
      loss.backward();  // backpropagation through time: the tape holds every step
      trainer.step();
      error += loss.item();
    }
    if (epoch % 100 == 0) std::printf("epoch %4zu  error: %.6f\n", epoch, error / double(ds.size()));
  }
  std::vector<xt::xarray<float>> outputs;
  {
    tg::NoGradGuard no_grad;
    for (const auto& seq : sequences) outputs.push_back(xt::flatten(net.forward(seq.inputs).value()));
  }
  print_outputs("PyBrain network", ds, outputs);

  // The same task in a few lines: an LSTM layer and a tanh readout over the padded batch.
  tg::nn::manual_seed(args.count("seed"));
  tg::nn::LSTM lstm(1, 8);
  tg::nn::Linear readout(8, 1);
  auto params = lstm.parameters();
  for (const auto& p : readout.parameters()) params.push_back(p);
  tg::optim::Adam adam(params, {.lr = 0.05});
  std::vector<std::size_t> all(ds.num_sequences());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const auto batch = ds.batch(all);
  const auto x = Tensor::from(batch.inputs), y = Tensor::from(batch.targets), mask = Tensor::from(batch.mask);
  auto predict = [&] { return tg::tanh(readout(lstm.forward(x, {}, batch.lengths).output)); };
  for (int epoch = 1; epoch <= 200; ++epoch) {
    const auto loss = 0.5f * tg::sum(tg::square(predict() - y) * mask) / float(ds.size());
    adam.zero_grad();
    loss.backward();
    adam.step();
    if (epoch % 50 == 0) std::printf("LSTM epoch %3d  error: %.6f\n", epoch, loss.item());
  }
  tg::NoGradGuard no_grad;
  const auto out = predict().value();
  outputs.clear();
  for (std::size_t s = 0; s < all.size(); ++s)
    outputs.push_back(xt::xarray<float>(xt::view(out, xt::range(0, batch.lengths[s]), s, 0)));
  print_outputs("LSTM", ds, outputs);
}
