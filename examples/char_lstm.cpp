// A character-level LSTM language model (as Karpathy's char-rnn) on a text Debian ships, by
// default the GPL version 3 from /usr/share/common-licenses: characters embedded, an LSTM, a
// linear readout to the next character's logits. The text's first 90% is cut into --batch
// parallel streams read in chunks of --seq steps, the state carried from chunk to chunk and
// detached (truncated backpropagation through time); Adam, gradient norms clipped to --clip.
// Each epoch prints the training loss and bits per character and the same on the last 10%,
// then a sample; the history goes to CSV and PNG, the whole training state to --checkpoint
// after every epoch, and --resume 1 continues from it.
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <xtensor/xview.hpp>

#include "examples/cli.hpp"
#include "nn/train/progress.hpp"
#include "tapegrad.hpp"

namespace {

using tg::Tensor;

struct Text {
  std::string chars;                  // the vocabulary, sorted
  std::vector<std::size_t> train, validation;  // the text as vocabulary indices
};

Text read_text(const std::string& path, std::size_t limit) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::stringstream whole;
  whole << in.rdbuf();
  const std::string text = whole.str().substr(0, limit);
  if (text.size() < 100) throw std::runtime_error(path + ": needs at least 100 characters, has " + std::to_string(text.size()));
  Text t;
  std::map<char, std::size_t> index;
  for (char c : text) index[c] = 0;
  for (auto& [c, i] : index) {
    i = t.chars.size();
    t.chars += c;
  }
  const std::size_t split = text.size() * 9 / 10;
  for (std::size_t k = 0; k < text.size(); ++k) (k < split ? t.train : t.validation).push_back(index[text[k]]);
  return t;
}

struct CharModel : tg::nn::Module {
  CharModel(std::size_t vocabulary, std::size_t hidden, std::size_t layers)
      : embed(register_module("embed", tg::nn::Embedding(vocabulary, 32))),
        lstm(register_module("lstm", tg::nn::LSTM(32, hidden, {.num_layers = layers}))),
        head(register_module("head", tg::nn::Linear(hidden, vocabulary))) {}

  // tokens (S, B) -> next-character logits (S, B, vocabulary), and the state after the last step.
  tg::nn::LSTM::Output run(const Tensor& tokens, const tg::nn::LSTMState& state) {
    auto out = lstm->forward((*embed)(tokens), state);
    out.output = (*head)(out.output);
    return out;
  }
  Tensor forward(const Tensor& tokens) override { return run(tokens, {}).output; }
  std::string name() const override { return "CharModel"; }

  std::shared_ptr<tg::nn::Embedding> embed;
  std::shared_ptr<tg::nn::LSTM> lstm;
  std::shared_ptr<tg::nn::Linear> head;
};

// The stream cut into `batch` rows read side by side: chunk k holds steps [k seq, (k + 1) seq)
// of every row, inputs and the characters that follow them.
struct Streams {
  std::size_t rows, length;
  const std::vector<std::size_t>& text;
  std::size_t chunks(std::size_t seq) const { return (length - 1 + seq - 1) / seq; }
  std::pair<Tensor, tg::Labels> chunk(std::size_t k, std::size_t seq) const {
    const std::size_t from = k * seq, steps = std::min(seq, length - 1 - from);
    xt::xarray<float> inputs = xt::xarray<float>::from_shape({steps, rows});
    tg::Labels next(steps * rows);
    for (std::size_t t = 0; t < steps; ++t)
      for (std::size_t r = 0; r < rows; ++r) {
        inputs(t, r) = float(text[r * length + from + t]);
        next[t * rows + r] = text[r * length + from + t + 1];
      }
    return {Tensor::from(std::move(inputs)), std::move(next)};
  }
};

// Mean cross-entropy per character (nats) over the stream, training on it when `optimizer` is given.
double run_epoch(CharModel& model, const Streams& streams, std::size_t seq, tg::optim::Adam* optimizer, double clip,
                 tg::nn::ProgressBar* bar) {
  const std::size_t V = model.head->out_features();
  tg::nn::LSTMState state;
  double total = 0;
  std::size_t count = 0;
  for (std::size_t k = 0; k < streams.chunks(seq); ++k) {
    const auto [inputs, next] = streams.chunk(k, seq);
    auto out = model.run(inputs, state);
    const auto loss = tg::nn::cross_entropy(tg::reshape(out.output, {next.size(), V}), next);
    if (optimizer) {
      optimizer->zero_grad();
      loss.backward();
      tg::optim::clip_grad_norm(model.parameters(), clip);
      optimizer->step();
    }
    state = {out.state.h.detach(), out.state.c.detach()};  // truncated BPTT: this chunk's graph is freed
    total += loss.item() * double(next.size());
    count += next.size();
    if (bar) bar->update(k + 1, "loss: " + std::to_string(total / double(count)));
  }
  return total / double(count);
}

// `length` characters drawn one at a time after `prompt`, from the softmax at `temperature`.
std::string sample(CharModel& model, const Text& text, const std::string& prompt, std::size_t length,
                   double temperature, tg::Generator& gen) {
  tg::NoGradGuard no_grad;
  tg::nn::LSTMState state;
  // Feeds one character and draws the next from the model's distribution.
  auto step = [&](std::size_t token) {
    auto r = model.run(tg::full<float>({1, 1}, float(token)), state);
    state = r.state;
    const auto p = tg::softmax(r.output * float(1.0 / temperature), -1).value();
    const double u = gen.uniform();
    double cumulative = 0;
    std::size_t next = 0;
    while (next + 1 < p.size() && (cumulative += p(0, 0, next)) < u) ++next;
    return next;
  };
  std::string out;
  std::size_t next = 0;
  for (char c : prompt)
    if (const auto at = text.chars.find(c); at != std::string::npos) {  // skips characters the text never has
      next = step(at);
      out += c;
    }
  for (std::size_t i = 0; i < length; ++i) {
    out += text.chars[next];
    next = step(next);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  const examples::Args args(argc, argv,
                            {{"text", "/usr/share/common-licenses/GPL-3"}, {"limit", "1000000"}, {"epochs", "40"},
                             {"hidden", "128"}, {"layers", "1"}, {"batch", "32"}, {"seq", "64"}, {"lr", "0.002"},
                             {"clip", "5"}, {"sample", "300"}, {"temperature", "0.8"}, {"prompt", "This License"},
                             {"checkpoint", "char_lstm.safetensors"}, {"resume", "0"},
                             {"history", "char_lstm_history"}, {"seed", "1"}, {"threads", "1"}});
  tg::set_num_threads(int(args.count("threads")));
  const Text text = read_text(args.str("text"), args.count("limit"));
  const std::size_t batch = std::min(args.count("batch"), text.train.size() / 2), seq = args.count("seq");
  const Streams train{batch, text.train.size() / batch, text.train}, validation{1, text.validation.size(), text.validation};
  tg::nn::manual_seed(args.count("seed"));
  CharModel model(text.chars.size(), args.count("hidden"), args.count("layers"));
  tg::optim::Adam adam(model.parameters(), {.lr = args.number("lr")});
  std::cout << "char_lstm: " << args.str("text") << ", " << text.train.size() << " training and "
            << text.validation.size() << " validation characters, " << text.chars.size() << " distinct ("
            << std::log2(double(text.chars.size())) << " bits/char for a uniform guess)\n"
            << model.summary();

  tg::nn::History history;
  std::size_t first = 1;
  if (args.count("resume")) {
    const auto info = tg::nn::load_checkpoint(args.str("checkpoint"), model, adam);
    history = info.history;
    first = info.epoch + 1;
    std::cout << "resumed from " << args.str("checkpoint") << " after epoch " << info.epoch << "\n";
  }
  tg::Generator sampler(args.count("seed"));
  for (std::size_t epoch = first; epoch <= args.count("epochs"); ++epoch) {
    tg::nn::ProgressBar bar(std::cout, train.chunks(seq), tg::nn::is_terminal(std::cout));
    model.train();
    const double loss = run_epoch(model, train, seq, &adam, args.number("clip"), &bar);
    model.eval();
    double val_loss;
    {
      tg::NoGradGuard no_grad;
      val_loss = run_epoch(model, validation, seq, nullptr, 0, nullptr);
    }
    tg::nn::Logs logs;
    logs.set("loss", loss);
    logs.set("bits_per_char", loss / std::log(2.0));
    logs.set("val_loss", val_loss);
    logs.set("val_bits_per_char", val_loss / std::log(2.0));
    logs.set("seconds", bar.elapsed_seconds());
    history.append(logs);
    char line[200];
    std::snprintf(line, sizeof line, "epoch %zu/%zu  loss %.4f  bits/char %.3f  val_loss %.4f  val bits/char %.3f  %.1f s",
                  epoch, args.count("epochs"), loss, loss / std::log(2.0), val_loss, val_loss / std::log(2.0),
                  bar.elapsed_seconds());
    bar.finish(line);
    tg::nn::save_checkpoint(args.str("checkpoint"), model, adam, {.epoch = epoch, .history = &history});
  }
  history.write_csv(args.str("history") + ".csv");
  history.plot(args.str("history") + ".png", std::cout);
  std::cout << "sample: " << sample(model, text, args.str("prompt"), args.count("sample"), args.number("temperature"), sampler)
            << "\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "char_lstm: " << e.what() << "\n";
  return 1;
}
