// The safetensors layout of checkpoints byte for byte, and exact round trips of weights.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <string>

#include "nn/io/safetensors.hpp"
#include "tapegrad.hpp"
#include "tests/checkpoint_checks.hpp"
#include "tests/error_message.hpp"

namespace {

namespace nn = tg::nn;
namespace optim = tg::optim;
using tg::testing::message_contains;
using tg::testing::read_bytes;
using namespace tg::testing::checkpoint_checks;

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
