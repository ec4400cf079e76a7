// Damaged or mismatched checkpoints: each fails naming the file and the problem, and changes
// nothing in the model, the optimizer or the generators.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nn/io/safetensors.hpp"
#include "tapegrad.hpp"
#include "tests/checkpoint_checks.hpp"
#include "tests/error_message.hpp"

namespace {

namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;
using tg::testing::read_bytes;
using tg::testing::write_bytes;
using namespace tg::testing::checkpoint_checks;

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

}  // namespace

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
