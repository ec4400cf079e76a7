// Checkpoints and inference: the safetensors layout byte for byte, exact round trips of weights
// and of a whole training state, atomic saves, damaged or mismatched files that change nothing,
// bitwise-identical resumption of fit, and predict.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xtensor/xmath.hpp>

#include "nn/io/safetensors.hpp"
#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;

// A fresh directory for one test's files, removed afterwards.
struct TempDir : tg::testing::TempDir {
  TempDir() : tg::testing::TempDir("tapegrad_checkpoint") {}
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};
using tg::testing::read_bytes;
using tg::testing::write_bytes;

std::uint64_t header_length(const std::string& bytes) {
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  return n;
}

// The file with the first `from` in its header replaced by `to`, the header length fixed up.
std::string with_header_edit(const std::string& bytes, const std::string& from, const std::string& to) {
  const std::uint64_t n = header_length(bytes);
  std::string header = bytes.substr(8, n);
  const auto at = header.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, "the header lacks " << from);
  header.replace(at, from.size(), to);
  std::string out;
  for (int i = 0; i < 8; ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + bytes.substr(8 + n);
}

// `file` with the tensor `name` replaced by `value`, removed (nullopt) or appended when absent.
nn::Safetensors with_tensor(const nn::Safetensors& file, const std::string& name,
                            std::optional<nn::StoredArray> value) {
  nn::Safetensors out;
  out.metadata = file.metadata;
  for (const auto& [key, array] : file)
    if (key != name) out.insert(key, array);
    else if (value) out.insert(key, *value);
  if (value && !file.contains(name)) out.insert(name, *value);
  return out;
}

bool same_bits(const xt::xarray<float>& a, const xt::xarray<float>& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

void expect_same(const nn::StateDict& a, const nn::StateDict& b) {
  BOOST_TEST(a.keys() == b.keys(), boost::test_tools::per_element());
  for (const auto& [name, value] : a)
    if (b.contains(name)) BOOST_TEST(same_bits(value, b.at(name)), name << " differs");
}

void expect_same(const optim::OptimizerState& a, const optim::OptimizerState& b) {
  BOOST_TEST(a.lrs == b.lrs, boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(a.params.size() == b.params.size());
  for (const auto& [position, state] : a.params) {
    BOOST_TEST_REQUIRE(b.params.count(position) == 1u);
    const auto& other = b.params.at(position);
    BOOST_TEST(state.step == other.step);
    BOOST_TEST_REQUIRE(state.buffers.size() == other.buffers.size());
    for (const auto& [name, buffer] : state.buffers)
      BOOST_TEST(same_bits(buffer, other.buffers.at(name)), "buffer " << name << " of " << position << " differs");
  }
}

nn::Sequential small_model() {
  return nn::Sequential(nn::Linear(3, 4), nn::Tanh(), nn::Dropout(0.5), nn::Linear(4, 2));
}

// A few optimizer steps on fixed data, so that weights, moments, steps and the dropout generator move.
void train_steps(nn::Module& model, optim::Optimizer& optimizer, int steps) {
  tg::Generator gen(11);
  const auto x = tg::randn<float>({5, 3}, gen), t = tg::randn<float>({5, 2}, gen);
  for (int i = 0; i < steps; ++i) {
    const auto loss = nn::mse_loss(model(x), t);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
}

// Everything a checkpoint restores, to compare before and after.
struct Snapshot {
  nn::StateDict weights;
  optim::OptimizerState optimizer;
  std::string generator, dropout;

  Snapshot(const nn::Sequential& model, const optim::Optimizer& opt)
      : weights(model.state_dict()), optimizer(opt.state()), generator(nn::default_generator().state()),
        dropout(model[2]->extra_state()) {}
  void expect_equal(const Snapshot& other) const {
    expect_same(weights, other.weights);
    expect_same(optimizer, other.optimizer);
    BOOST_TEST(generator == other.generator);
    BOOST_TEST(dropout == other.dropout);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(safetensors_format)

BOOST_AUTO_TEST_CASE(file_layout_byte_for_byte) {
  TempDir dir;
  nn::Safetensors file;
  file.metadata["note"] = "hi";
  file.insert("w", xt::xarray<float>{{1.0f, -2.0f}, {0.5f, 3.0f}});
  file.insert("n", xt::xarray<std::int64_t>{1, -1, std::int64_t{1} << 40});
  file.insert("d", xt::xarray<double>(0.25));
  nn::write_safetensors(dir / "t.safetensors", file);

  // 195 bytes of JSON padded with spaces to 200; offsets count from the end of the header.
  const std::string header =
      R"({"__metadata__":{"note":"hi"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
      R"("n":{"dtype":"I64","shape":[3],"data_offsets":[16,40]},)"
      R"("d":{"dtype":"F64","shape":[],"data_offsets":[40,48]}})";
  const std::string expected = std::string("\xc8\0\0\0\0\0\0\0", 8) + header + "     " +
                               std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0\x00\x00\x00\x3f\x00\x00\x40\x40", 16) +
                               std::string("\x01\0\0\0\0\0\0\0\xff\xff\xff\xff\xff\xff\xff\xff\0\0\0\0\0\x01\0\0", 24) +
                               std::string("\0\0\0\0\0\0\xd0\x3f", 8);
  BOOST_TEST(header.size() == 195u);
  const std::string bytes = read_bytes(dir / "t.safetensors");
  BOOST_TEST(bytes.size() == 256u);
  BOOST_TEST((bytes == expected));

  const nn::Safetensors back = nn::read_safetensors(dir / "t.safetensors");
  BOOST_TEST((back.metadata == file.metadata));
  std::vector<std::string> names;
  for (const auto& [name, array] : back) names.push_back(name);
  BOOST_TEST(names == (std::vector<std::string>{"w", "n", "d"}), boost::test_tools::per_element());
  BOOST_TEST((back.get<float>("w") == file.get<float>("w")));
  BOOST_TEST((back.get<std::int64_t>("n") == file.get<std::int64_t>("n")));
  BOOST_TEST(back.get<double>("d").dimension() == 0u);
  BOOST_TEST(back.get<double>("d")() == 0.25);
  BOOST_CHECK_EXCEPTION(back.get<float>("n"), tg::Error, message_contains({"'n'", "I64", "not F32"}));
  BOOST_CHECK_EXCEPTION(back.at("x"), tg::Error, message_contains({"no tensor 'x'"}));
}

BOOST_AUTO_TEST_CASE(weights_are_stored_under_state_dict_names) {
  TempDir dir;
  nn::manual_seed(1);
  nn::Sequential model(nn::Linear(3, 2), nn::Tanh(), nn::Linear(2, 1));
  {
    tg::NoGradGuard no_grad;
    model.named_parameters()[0].second.mutable_value() = xt::xarray<float>{{1, 2, 3}, {-4, 5.5f, 0.25f}};
  }
  const std::string path = dir / "w.safetensors";
  nn::save_weights(path, model);
  const std::string bytes = read_bytes(path);

  const std::uint64_t n = header_length(bytes);
  BOOST_TEST((8 + n) % 8 == 0u);
  const std::string header = bytes.substr(8, n);
  BOOST_TEST(header.front() == '{');
  BOOST_TEST(header.find(R"("0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]})") != std::string::npos);
  BOOST_TEST(header.find(R"("0.bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]})") != std::string::npos);
  BOOST_TEST(header.find(R"("2.bias":{"dtype":"F32","shape":[1],"data_offsets":[40,44]})") != std::string::npos);
  BOOST_TEST(header.find(R"("format":"tapegrad.weights.v1")") != std::string::npos);
  BOOST_TEST(bytes.size() == 8 + n + 44);
  // 1.0f, 2.0f, 3.0f, -4.0f, 5.5f, 0.25f in little-endian IEEE 754.
  const std::string weight_bytes("\0\0\x80\x3f\0\0\0\x40\0\0\x40\x40\0\0\x80\xc0\0\0\xb0\x40\0\0\x80\x3e", 24);
  BOOST_TEST((bytes.substr(8 + n, 24) == weight_bytes));

  const nn::Safetensors file = nn::read_safetensors(path);
  const nn::StateDict state = model.state_dict();
  BOOST_TEST_REQUIRE(file.size() == state.size());
  for (const auto& [name, value] : state) BOOST_TEST(same_bits(file.get<float>(name), value));
  BOOST_TEST(file.metadata.at("architecture") == model.summary());
}

BOOST_AUTO_TEST_CASE(weights_round_trip_exactly) {
  TempDir dir;
  nn::manual_seed(1);
  auto saved = small_model();
  nn::save_weights(dir / "w.safetensors", saved);
  nn::manual_seed(2);
  auto loaded = small_model();
  nn::load_weights(dir / "w.safetensors", loaded);
  expect_same(saved.state_dict(), loaded.state_dict());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(training_state)

BOOST_AUTO_TEST_CASE(model_adam_epoch_and_generators_round_trip_exactly) {
  TempDir dir;
  const std::string path = dir / "run.safetensors";
  nn::manual_seed(3);
  auto model = small_model();
  optim::Adam adam(model.parameters(), {.lr = 0.01});
  train_steps(model, adam, 2);
  adam.set_lr(0, 0.0123);
  nn::default_generator().normal();  // leaves a Box-Muller spare pending: it is state too
  nn::History history;
  nn::Logs logs;
  logs.set("loss", 0.5);
  logs.set("val_loss", std::nan(""));
  history.append(logs);
  nn::save_checkpoint(path, model, adam, {.epoch = 3, .history = &history});
  const Snapshot saved(model, adam);

  // What the file holds besides the weights.
  const nn::Safetensors file = nn::read_safetensors(path);
  BOOST_TEST((file.get<float>("optimizer.state.0.exp_avg").shape() == model.state_dict().at("0.weight").shape()));
  BOOST_TEST(file.get<std::int64_t>("optimizer.state.0.step").dimension() == 0u);
  BOOST_TEST(file.get<std::int64_t>("optimizer.state.3.step")() == 2);
  BOOST_TEST(file.metadata.at("epoch") == "3");
  BOOST_TEST(file.metadata.at("modules") ==
             R"([["","Sequential"],["0","Linear"],["1","Tanh"],["2","Dropout"],["3","Linear"]])");
  BOOST_TEST(file.metadata.at("optimizer") == R"({"type":"tg::optim::Adam","lrs":[0.0123]})");

  // Everything moves on, then comes back exactly.
  train_steps(model, adam, 3);
  adam.set_lr(0, 0.5);
  nn::manual_seed(99);
  const auto info = nn::load_checkpoint(path, model, adam);
  saved.expect_equal(Snapshot(model, adam));
  BOOST_TEST(info.epoch == 3u);
  BOOST_TEST(info.architecture == model.summary());
  BOOST_TEST_REQUIRE(info.history.epochs() == 1u);
  BOOST_TEST(info.history.epoch(0).at("loss") == 0.5);
  BOOST_TEST(std::isnan(info.history.epoch(0).at("val_loss")));

  // The weights alone load from a checkpoint too.
  nn::manual_seed(4);
  auto other = small_model();
  nn::load_weights(path, other);
  expect_same(saved.weights, other.state_dict());
}

BOOST_AUTO_TEST_CASE(a_stale_partial_temp_file_is_harmless) {
  TempDir dir;
  const std::string path = dir / "run.safetensors";
  nn::manual_seed(3);
  auto model = small_model();
  optim::SGD sgd(model.parameters(), {.lr = 0.1, .momentum = 0.9});
  train_steps(model, sgd, 1);
  nn::save_checkpoint(path, model, sgd, {.epoch = 1});
  const Snapshot saved(model, sgd);

  // A save killed halfway through leaves its partial temporary file and the old checkpoint.
  const std::string full = read_bytes(path);
  const std::string stale = path + ".tmp.Ab12Cd";
  write_bytes(stale, full.substr(0, full.size() / 2));
  train_steps(model, sgd, 1);
  BOOST_TEST(nn::load_checkpoint(path, model, sgd).epoch == 1u);
  saved.expect_equal(Snapshot(model, sgd));

  // The next save replaces the checkpoint and removes the temporary file.
  nn::save_checkpoint(path, model, sgd, {.epoch = 2});
  BOOST_TEST(!fs::exists(stale));
  BOOST_TEST(nn::load_checkpoint(path, model, sgd).epoch == 2u);
}

BOOST_AUTO_TEST_CASE(a_failed_save_keeps_the_previous_checkpoint) {
  TempDir dir;
  nn::manual_seed(3);
  auto model = small_model();
  optim::Adam adam(model.parameters());

  // No temporary file can be created where the directory does not exist.
  const std::string nowhere = dir / "absent/run.safetensors";
  BOOST_CHECK_EXCEPTION(nn::save_checkpoint(nowhere, model, adam, {.epoch = 2}), tg::Error,
                        message_contains({"save_checkpoint", "cannot create a temporary file " + nowhere + ".tmp.",
                                          "No such file or directory"}));

  // The rename over the target fails (it is a directory): the temporary file is cleaned up.
  const std::string blocked = dir / "blocked";
  fs::create_directories(fs::path(blocked) / "keep");
  BOOST_CHECK_EXCEPTION(nn::save_weights(blocked, model), tg::Error,
                        message_contains({"save_weights", "cannot rename", blocked}));
  BOOST_TEST(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  BOOST_TEST(fs::exists(fs::path(blocked) / "keep"));
}

BOOST_AUTO_TEST_SUITE_END()

// Each damaged or mismatched file fails with a message naming the file and the problem, and the
// model, the optimizer and the generators keep their values (which differ from the file's).
struct DamagedFiles {
  TempDir dir;
  std::string good = dir / "good.safetensors";
  std::string bad = dir / "bad.safetensors";
  nn::Sequential model = (nn::manual_seed(5), small_model());
  optim::Adam adam{model.parameters(), {.lr = 0.01}};

  DamagedFiles() {
    train_steps(model, adam, 2);
    nn::save_checkpoint(good, model, adam, {.epoch = 2});
    train_steps(model, adam, 1);
    nn::default_generator().next();
  }

  void expect_load_fails(const std::vector<std::string>& parts) {
    const Snapshot before(model, adam);
    std::vector<std::string> expected = {"load_checkpoint: " + bad + ": "};
    expected.insert(expected.end(), parts.begin(), parts.end());
    BOOST_CHECK_EXCEPTION(nn::load_checkpoint(bad, model, adam), tg::Error, message_contains(expected));
    before.expect_equal(Snapshot(model, adam));
  }
  void expect_bytes_fail(const std::string& bytes, const std::vector<std::string>& parts) {
    write_bytes(bad, bytes);
    expect_load_fails(parts);
  }
  void expect_contents_fail(const nn::Safetensors& file, const std::vector<std::string>& parts) {
    nn::write_safetensors(bad, file);
    expect_load_fails(parts);
  }
};

BOOST_FIXTURE_TEST_SUITE(damaged_files, DamagedFiles)

BOOST_AUTO_TEST_CASE(truncated_files) {
  const std::string bytes = read_bytes(good);
  expect_bytes_fail(bytes.substr(0, bytes.size() - 5), {"lie outside the", "bytes of data"});
  expect_bytes_fail(bytes.substr(0, 5), {"truncated: 5 bytes"});
  expect_bytes_fail(bytes.substr(0, 8 + header_length(bytes) / 2), {"header length", "is larger than the"});
  expect_bytes_fail(bytes + "junk", {"4 bytes at the end of the data belong to no tensor"});
  BOOST_CHECK_EXCEPTION(nn::load_checkpoint(dir / "absent.safetensors", model, adam), tg::Error,
                        message_contains({"load_checkpoint", "absent.safetensors", "no such file"}));
}

BOOST_AUTO_TEST_CASE(corrupt_headers) {
  std::string bytes = read_bytes(good);
  std::string huge = bytes;
  huge[6] = '\x01';  // a header length above 2^48
  expect_bytes_fail(huge, {"header length 2814749767", "is larger than the"});
  expect_bytes_fail(with_header_edit(bytes, R"("0.weight":{)", R"("0.weight":{{)"), {"the header is not valid JSON"});
  expect_bytes_fail(with_header_edit(bytes, R"("data_offsets":[0,48])", R"("data_offsets":[0,4800])"),
                    {"tensor '0.weight'", "data_offsets [0,4800] lie outside"});
  expect_bytes_fail(with_header_edit(bytes, R"("0.bias":{"dtype":"F32","shape":[4],"data_offsets":[48,64]})",
                                     R"("0.bias":{"dtype":"F32","shape":[4],"data_offsets":[0,16]})"),
                    {"tensors '0.bias' and '0.weight' overlap"});
  expect_bytes_fail(with_header_edit(bytes, R"("data_offsets":[0,48])", R"("data_offsets":[0,44])"),
                    {"tensor '0.weight'", "hold 44 bytes, but F32 of shape (4,3) takes 48"});
  expect_bytes_fail(with_header_edit(bytes, R"("dtype":"F32")", R"("dtype":"BF16")"),
                    {"tensor '0.weight'", "unknown dtype \"BF16\""});
  expect_bytes_fail(with_header_edit(bytes, R"("shape":[4,3])", R"("shape":[4,-3])"),
                    {"tensor '0.weight'", "not a list of non-negative integers"});
  expect_bytes_fail(with_header_edit(bytes, R"("epoch":"2")", R"("epoch":2)"),
                    {"'__metadata__' entry 'epoch' is not a string"});
}

BOOST_AUTO_TEST_CASE(mismatched_tensors) {
  const nn::Safetensors file = nn::read_safetensors(good);
  expect_contents_fail(with_tensor(file, "0.bias", xt::xarray<double>{1, 2, 3, 4}),
                       {"tensor '0.bias' is F64, but the model's tensors are F32"});
  expect_contents_fail(with_tensor(file, "0.weight", xt::xarray<float>::from_shape({3, 4})),
                       {"'0.weight' has shape (3,4) in the state dict but (4,3) in the module"});
  expect_contents_fail(with_tensor(file, "3.bias", std::nullopt), {"missing keys '3.bias'"});
  expect_contents_fail(with_tensor(file, "4.weight", xt::xarray<float>{1}), {"unexpected keys '4.weight'"});
  // Checked only when the optimizer's state is applied, after the model's: that is undone.
  expect_contents_fail(with_tensor(file, "optimizer.state.0.exp_avg", xt::xarray<float>::from_shape({2})),
                       {"Adam", "buffer 'exp_avg' of parameter 0 has shape (2)"});
  expect_contents_fail(with_tensor(file, "optimizer.state.1.step", std::nullopt),
                       {"the optimizer state of parameter 1 has no step count"});
  expect_contents_fail(with_tensor(file, "optimizer.state.1.step", xt::xarray<float>(1.0f)),
                       {"'optimizer.state.1.step' is not an I64 scalar step count"});
  expect_contents_fail(with_tensor(file, "optimizer.state.x.exp_avg", xt::xarray<float>{1}),
                       {"'optimizer.state.x.exp_avg' is not named optimizer.state.<position>.<buffer>"});
}

BOOST_AUTO_TEST_CASE(mismatched_metadata) {
  const nn::Safetensors file = nn::read_safetensors(good);
  auto with_metadata = [&](const std::string& key, std::optional<std::string> value) {
    nn::Safetensors out = file;
    if (value) out.metadata[key] = *value;
    else out.metadata.erase(key);
    return out;
  };
  // Applied last, after the model and the optimizer: both are put back.
  expect_contents_fail(with_metadata("extra_states", R"({"2":"not a generator"})"),
                       {"Generator::set_state: the text is not a generator state"});
  expect_contents_fail(with_metadata("extra_states", "{}"), {"no extra state for module '2'"});
  expect_contents_fail(with_metadata("rng", "1 2 3"), {"the metadata 'rng' is not a generator state"});
  expect_contents_fail(with_metadata("epoch", "-1"), {"the metadata 'epoch' is not a count: '-1'"});
  expect_contents_fail(with_metadata("optimizer", "{"), {"the metadata 'optimizer' is not valid JSON"});
  expect_contents_fail(with_metadata("history", "[1]"), {"the metadata 'history' has an epoch that is not an object"});
  const std::string relu_model = R"([["","Sequential"],["0","Linear"],["1","ReLU"],["2","Dropout"],["3","Linear"]])";
  expect_contents_fail(with_metadata("modules", relu_model),
                       {"the model differs from the one saved:", "has '1' (ReLU) where the model has '1' (Tanh)"});
  expect_contents_fail(with_metadata("format", std::nullopt), {"is not a tapegrad checkpoint"});

  nn::save_weights(bad, model);
  expect_load_fails({"holds weights only (from save_weights): load it with load_weights"});
}

BOOST_AUTO_TEST_CASE(another_optimizer_or_model) {
  optim::SGD sgd(model.parameters(), {.lr = 0.1});
  const auto sgd_state = sgd.state();
  BOOST_CHECK_EXCEPTION(nn::load_checkpoint(good, model, sgd), tg::Error,
                        message_contains({"holds the state of a tg::optim::Adam, not of a tg::optim::SGD"}));
  expect_same(sgd_state, sgd.state());

  nn::Sequential wider(nn::Linear(3, 5), nn::Tanh(), nn::Dropout(0.5), nn::Linear(5, 2));
  optim::Adam wider_adam(wider.parameters());
  const auto weights = wider.state_dict();
  BOOST_CHECK_EXCEPTION(nn::load_checkpoint(good, wider, wider_adam), tg::Error,
                        message_contains({good, "'0.weight' has shape (4,3) in the state dict but (5,3)"}));
  expect_same(weights, wider.state_dict());
  BOOST_CHECK_EXCEPTION(nn::load_weights(good, wider), tg::Error,
                        message_contains({"load_weights: " + good, "'3.weight' has shape (2,4)"}));
  expect_same(weights, wider.state_dict());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(resume)

namespace {

using MakeOptimizer = std::function<std::unique_ptr<optim::Optimizer>(std::vector<tg::Tensor>)>;

nn::Sequential resume_model() {
  return nn::Sequential(nn::Linear(4, 8), nn::Tanh(), nn::Dropout(0.3), nn::Linear(8, 2));
}

// Three epochs uninterrupted, then the same from the checkpoint after epoch 1 in a model and
// optimizer built afresh from another seed: the weights after epochs 2 and 3 must be the same bits.
void check_resume_is_exact(const MakeOptimizer& make_optimizer) {
  TempDir dir;
  tg::Generator gen(123);
  const nn::Data data{tg::randn<float>({37, 4}, gen).value(), tg::randn<float>({37, 2}, gen).value()};
  const auto loss = [](const tg::Tensor& p, const tg::Tensor& t) { return nn::mse_loss(p, t); };
  auto options = [](std::size_t initial_epoch, std::vector<std::shared_ptr<nn::CallbackBase>> callbacks = {}) {
    return nn::FitOptions{.epochs = 3, .batch_size = 8, .seed = 5, .callbacks = std::move(callbacks),
                          .initial_epoch = initial_epoch, .verbosity = nn::Verbosity::Silent};
  };

  nn::manual_seed(42);
  auto a = resume_model();
  auto a_optimizer = make_optimizer(a.parameters());
  nn::fit(a, loss, *a_optimizer, data, options(0, {std::make_shared<nn::Checkpoint>(dir / "a-{epoch}.safetensors")}));

  nn::manual_seed(7);
  auto b = resume_model();
  auto b_optimizer = make_optimizer(b.parameters());
  const auto info = nn::load_checkpoint(dir / "a-1.safetensors", b, *b_optimizer);
  BOOST_TEST(info.epoch == 1u);
  nn::fit(b, loss, *b_optimizer, data,
          options(info.epoch, {std::make_shared<nn::Checkpoint>(dir / "b-{epoch}.safetensors", info.history)}));
  BOOST_TEST(!fs::exists(dir / "b-1.safetensors"));

  const auto a2 = nn::read_safetensors(dir / "a-2.safetensors"), b2 = nn::read_safetensors(dir / "b-2.safetensors");
  BOOST_TEST_REQUIRE(a2.size() == b2.size());
  for (const auto& [name, array] : a2) {
    if (name.ends_with(".step")) BOOST_TEST((b2.get<std::int64_t>(name) == std::get<xt::xarray<std::int64_t>>(array)));
    else BOOST_TEST(same_bits(std::get<xt::xarray<float>>(array), b2.get<float>(name)), name << " after epoch 2");
  }
  expect_same(a.state_dict(), b.state_dict());
  expect_same(a_optimizer->state(), b_optimizer->state());
  const auto a_history = nn::load_checkpoint(dir / "a-3.safetensors", a, *a_optimizer).history;
  const auto b_history = nn::load_checkpoint(dir / "b-3.safetensors", b, *b_optimizer).history;
  BOOST_TEST(b_history.epochs() == 3u);  // the epoch before the resume came with the checkpoint
  BOOST_TEST(b_history.values("loss") == a_history.values("loss"), boost::test_tools::per_element());

  // Without the optimizer's state, or without the dropout generator's, the run goes elsewhere.
  nn::manual_seed(7);
  auto c = resume_model();
  auto c_optimizer = make_optimizer(c.parameters());
  nn::load_weights(dir / "a-1.safetensors", c);
  nn::fit(c, loss, *c_optimizer, data, options(1));
  BOOST_TEST(!same_bits(c.state_dict().at("0.weight"), a.state_dict().at("0.weight")));

  nn::manual_seed(7);
  auto d = resume_model();
  auto d_optimizer = make_optimizer(d.parameters());
  const std::string fresh_dropout = d[2]->extra_state();
  nn::load_checkpoint(dir / "a-1.safetensors", d, *d_optimizer);
  BOOST_TEST(d[2]->extra_state() != fresh_dropout);
  d[2]->set_extra_state(fresh_dropout);
  nn::fit(d, loss, *d_optimizer, data, options(1));
  BOOST_TEST(!same_bits(d.state_dict().at("0.weight"), a.state_dict().at("0.weight")));
}

}  // namespace

BOOST_AUTO_TEST_CASE(resuming_adam_is_bitwise_identical) {
  check_resume_is_exact([](std::vector<tg::Tensor> params) -> std::unique_ptr<optim::Optimizer> {
    return std::make_unique<optim::Adam>(std::move(params), optim::AdamOptions{.lr = 0.01});
  });
}

BOOST_AUTO_TEST_CASE(resuming_sgd_with_momentum_is_bitwise_identical) {
  check_resume_is_exact([](std::vector<tg::Tensor> params) -> std::unique_ptr<optim::Optimizer> {
    return std::make_unique<optim::SGD>(std::move(params), optim::SGDOptions{.lr = 0.05, .momentum = 0.9});
  });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(predict)

BOOST_AUTO_TEST_CASE(predict_equals_forward_in_eval_mode_and_records_nothing) {
  nn::manual_seed(6);
  auto model = small_model();
  tg::Generator gen(8);
  const auto x = tg::randn<float>({10, 3}, gen).set_requires_grad(true);

  model.eval();
  const xt::xarray<float> expected = model(x).value();
  model.train();

  const tg::Tensor whole = model.predict(x);
  BOOST_TEST(same_bits(whole.value(), expected));
  BOOST_TEST(!whole.requires_grad());
  BOOST_TEST(!whole.grad_fn());
  BOOST_TEST(model.is_training());  // the mode it had

  const tg::Tensor batched = model.predict(x, 3);  // batches of 3, 3, 3 and 1
  BOOST_TEST(batched.shape() == (tg::Shape{10, 2}), boost::test_tools::per_element());
  BOOST_TEST(xt::allclose(batched.value(), expected, 1e-6, 1e-7));
  BOOST_TEST(!batched.requires_grad());
  BOOST_TEST(!batched.grad_fn());
  BOOST_TEST(tg::GradMode::enabled());

  model.eval();
  model.predict(x, 4);
  BOOST_TEST(!model.is_training());
  BOOST_CHECK_EXCEPTION(model.predict(x, 0), tg::Error, message_contains({"predict", "batch_size must be positive"}));
  BOOST_CHECK_EXCEPTION(model.predict(tg::Tensor::from(xt::xarray<float>(1.0f))), tg::Error,
                        message_contains({"predict", "needs a batch axis"}));
}

BOOST_AUTO_TEST_SUITE_END()
