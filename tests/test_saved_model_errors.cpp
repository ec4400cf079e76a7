// Whole-model files that cannot be loaded: damaged, missing, foreign and newer files are refused
// with errors naming the file, and a failed save leaves the previous file.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "tapegrad.hpp"
#include "tests/error_message.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace nn = tg::nn;
using tg::testing::message_contains;
using tg::testing::TempDir;

// Rewrites a saved file's metadata entry `key` through `edit`.
void edit_metadata(const std::filesystem::path& file, const std::string& key,
                   const std::function<std::string(const std::string&)>& edit) {
  nn::Safetensors contents = nn::read_safetensors(file.string());
  contents.metadata[key] = edit(contents.metadata[key]);
  nn::write_safetensors(file.string(), contents);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(saved_model)

BOOST_AUTO_TEST_CASE(bad_files_are_refused_naming_the_file) {
  TempDir dir("saved_model");
  nn::Sequential model(nn::Linear(2, 2), nn::ReLU());
  const auto file = dir / "model.safetensors";
  BOOST_CHECK_EXCEPTION(nn::load_model(dir / "missing.safetensors"), tg::Error,
                        message_contains({"load_model", "missing.safetensors", "no such file"}));

  nn::save_model(file, model);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 3);  // damaged: cut short
  BOOST_CHECK_EXCEPTION(nn::load_model(file), tg::Error, message_contains({"load_model", "model.safetensors"}));

  nn::save_model(file, model);
  edit_metadata(file, "architecture", [](const std::string& text) {
    auto tree = nlohmann::json::parse(text);
    tree["children"][1]["module"]["type"] = "Unheard";
    return tree.dump();
  });
  BOOST_CHECK_EXCEPTION(nn::load_model(file), tg::Error,
                        message_contains({"load_model", "model.safetensors", "'1' of type 'Unheard'", "no factory"}));

  nn::save_model(file, model);
  edit_metadata(file, "format_version", [](const std::string&) { return "2"; });
  BOOST_CHECK_EXCEPTION(nn::load_model(file), tg::Error,
                        message_contains({"model.safetensors", "format version 2, newer than this tapegrad reads (1)"}));

  nn::save_model(file, model);
  edit_metadata(file, "architecture", [](const std::string& text) { return text.substr(0, text.size() / 2); });
  BOOST_CHECK_EXCEPTION(nn::load_model(file), tg::Error,
                        message_contains({"model.safetensors", "the architecture is not valid JSON"}));

  nn::save_weights(file.string(), model);
  BOOST_CHECK_EXCEPTION(nn::load_model(file), tg::Error, message_contains({"model.safetensors", "holds weights only"}));
}

BOOST_AUTO_TEST_CASE(a_failed_save_keeps_the_previous_file) {
  TempDir dir("saved_model");
  const auto file = dir / "model.safetensors";
  nn::Sequential good(nn::Linear(2, 2));
  nn::save_model(file, good);
  struct Unregistered : nn::Module {
    tg::Tensor forward(const tg::Tensor& x) override { return x; }
    std::string name() const override { return "Unregistered"; }
  };
  nn::Sequential bad(nn::Linear(2, 2), Unregistered());
  BOOST_CHECK_THROW(nn::save_model(file, bad), tg::Error);
  const auto loaded = nn::load_model(file);
  BOOST_TEST(loaded->state_dict().at("0.weight") == good.state_dict().at("0.weight"));
}

BOOST_AUTO_TEST_SUITE_END()
