#include "nn/io/saved_model.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/io/model_file.hpp"
#include "nn/io/safetensors.hpp"

namespace tg::nn {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* model_format = "tapegrad.model";
constexpr unsigned model_format_version = 1;

std::string where_of(const std::string& path) { return path.empty() ? "the model" : "'" + path + "'"; }
std::string joined(const std::string& parent, const std::string& name) { return parent.empty() ? name : parent + "." + name; }

Json config_json(const ModuleConfig& config) {
  Json object = Json::object();
  // The init-capture: clang 14 (the fuzz build) cannot capture a structured binding.
  for (const auto& [key, value] : config.values())
    std::visit([&object, &key = key](const auto& v) { object[key] = v; }, value);
  return object;
}

// A module as the file describes it. `rebuilt`: load_model makes it with its factory, so its
// settings are written (the model itself and a container's submodules); the submodules of
// anything else are made by its constructor and only checked and restored.
template <class T>
Json architecture(const BasicModule<T>& module, const std::string& path, bool rebuilt) {
  const std::string type = module.name();
  Json node = {{"type", type}};
  bool container = false;
  if (rebuilt) {
    if (!has_module_type<T>(type))
      throw Error(where_of(path) + " is a " + type + ", for which no factory is registered: register_module_type(\"" +
                  type + "\", ...) makes it savable");
    const BasicModuleFactory<T> factory = module_factory<T>(type);
    node["config"] = config_json(factory.config(module));
    container = factory.container;
  }
  node["training"] = module.is_training();
  if (const std::string state = module.extra_state(); !state.empty()) node["extra_state"] = state;
  Json children = Json::array();
  for (const auto& [name, child] : module.named_children())
    children.push_back({{"name", name}, {"module", architecture(*child, joined(path, name), container)}});
  node["children"] = std::move(children);
  return node;
}

// A module's settings as the file holds them.
ModuleConfig settings(const Json& object, const std::string& path, const detail::Source& source) {
  ModuleConfig config;
  for (const auto& [key, value] : object.items()) {
    if (value.is_boolean()) {
      config.set_flag(key, value.get<bool>());
    } else if (value.is_number()) {
      config.set_number(key, value.get<double>());
    } else if (value.is_string()) {
      config.set_text(key, value.get<std::string>());
    } else if (value.is_array() && std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_number(); })) {
      config.set_numbers(key, value.get<std::vector<double>>());
    } else {
      source.fail("the setting '" + key + "' of " + where_of(path) +
                " is neither a flag, a number, a text nor a list of numbers");
    }
  }
  return config;
}

// Reads a model file's architecture back into modules; every error names the file.
template <class T>
class ModelBuilder {
 public:
  using ModuleT = BasicModule<T>;

  explicit ModelBuilder(const detail::Source& source) : source_(source) {}

  std::shared_ptr<ModuleT> build(const Json& node, const std::string& path) const {
    check_node(node, path);
    const std::string type = node["type"].get<std::string>();
    if (!has_module_type<T>(type))
      source_.fail("the architecture has " + where_of(path) + " of type '" + type +
                   "', for which no factory is registered (register_module_type(\"" + type + "\", ...) before loading)");
    const BasicModuleFactory<T> factory = module_factory<T>(type);
    std::vector<typename ModuleT::NamedModule> children;
    if (factory.container)
      for (const Json& child : node["children"])
        children.emplace_back(child["name"].get<std::string>(),
                              build(child["module"], joined(path, child["name"].get<std::string>())));
    if (!node.contains("config") || !node["config"].is_object())
      source_.fail("the architecture of " + where_of(path) + " has no settings object ('config')");
    std::shared_ptr<ModuleT> module;
    try {
      module = factory.build(settings(node["config"], path, source_), children);
    } catch (const Error& e) {
      source_.fail("cannot rebuild " + where_of(path) + " (" + type + "): " + e.what());
    }
    if (!module) source_.fail("the factory for " + type + " built nothing");
    restore(*module, node, path);
    return module;
  }

 private:
  void check_node(const Json& node, const std::string& path) const {
    const auto bad = [&](const std::string& what) { source_.fail("the architecture of " + where_of(path) + " " + what); };
    if (!node.is_object()) bad("is not a JSON object");
    if (!node.contains("type") || !node["type"].is_string()) bad("has no type");
    if (!node.contains("children") || !node["children"].is_array()) bad("has no list of submodules ('children')");
    if (node.contains("training") && !node["training"].is_boolean()) bad("has a training mode that is not true or false");
    if (node.contains("extra_state") && !node["extra_state"].is_string()) bad("has an extra state that is not text");
    for (const Json& child : node["children"])
      if (!child.is_object() || !child.contains("name") || !child["name"].is_string() || !child.contains("module"))
        bad("has a submodule without a name and a module");
  }

  // The training modes, extra states and submodules of a rebuilt module, checked against the file's.
  void restore(ModuleT& module, const Json& node, const std::string& path) const {
    const std::string type = node["type"].get<std::string>();
    if (module.name() != type) source_.fail("the factory for " + type + " built a " + module.name());
    if (node.contains("training")) module.train(node["training"].get<bool>());
    if (node.contains("extra_state")) try {
        module.set_extra_state(node["extra_state"].get<std::string>());
      } catch (const Error& e) {
        source_.fail("the extra state of " + where_of(path) + " does not fit: " + e.what());
      }
    const auto children = module.named_children();
    const Json& saved = node["children"];
    std::string built_names, saved_names;
    for (const auto& [name, child] : children) built_names += (built_names.empty() ? "" : ", ") + name;
    for (const Json& child : saved) saved_names += (saved_names.empty() ? "" : ", ") + child["name"].get<std::string>();
    if (built_names != saved_names)
      source_.fail(where_of(path) + " (" + type + ") was rebuilt with the submodules [" + built_names +
                   "] but the file has [" + saved_names + "]");
    for (std::size_t i = 0; i < children.size(); ++i) {
      check_node(saved[i]["module"], joined(path, children[i].first));
      restore(*children[i].second, saved[i]["module"], joined(path, children[i].first));
    }
  }

  const detail::Source& source_;
};

// The format and its version; anything else is refused, naming what the file is instead.
void check_format(const Safetensors& contents, const detail::Source& source) {
  const auto metadata = [&](const std::string& key) -> const std::string* {
    const auto it = contents.metadata.find(key);
    return it == contents.metadata.end() ? nullptr : &it->second;
  };
  const std::string* format = metadata("format");
  if (!format || *format != model_format) {
    if (format && *format == detail::weights_format)
      source.fail("holds weights only (save_weights): build the model in code and use load_weights");
    if (format && *format == detail::checkpoint_format)
      source.fail("is a training checkpoint: build the model in code and use load_checkpoint");
    source.fail("is not a tapegrad model file (save_model writes one): its metadata has no 'format': '" +
                std::string(model_format) + "'");
  }
  const std::string* version_text = metadata("format_version");
  unsigned version = 0;
  if (!version_text ||
      std::from_chars(version_text->data(), version_text->data() + version_text->size(), version).ec != std::errc() ||
      version == 0)
    source.fail("has no valid 'format_version' in its metadata");
  if (version > model_format_version)
    source.fail("was written in model format version " + *version_text + ", newer than this tapegrad reads (" +
                std::to_string(model_format_version) + "): load it with a newer tapegrad");
  if (!metadata("architecture")) source.fail("its metadata has no 'architecture'");
}

}  // namespace

template <class T>
void save_model(const std::filesystem::path& file, const BasicModule<T>& model) {
  const std::string path = file.string();
  Safetensors contents;
  try {
    contents.metadata["architecture"] = architecture(model, "", true).dump();
  } catch (const Error& e) {
    detail::Source{"save_model", path}.fail(e.what());
  }
  for (const auto& [name, value] : model.state_dict()) contents.insert(name, value);
  contents.metadata["format"] = model_format;
  contents.metadata["format_version"] = std::to_string(model_format_version);
  contents.metadata["summary"] = model.summary();
  write_safetensors(path, contents, "save_model");
}

template <class T>
std::shared_ptr<BasicModule<T>> load_model(const std::filesystem::path& file) {
  const std::string path = file.string();
  const detail::Source source{"load_model", path};
  const Safetensors contents = read_safetensors(path, source.op);
  check_format(contents, source);
  Json tree;
  try {
    tree = Json::parse(contents.metadata.at("architecture"));
  } catch (const Json::exception& e) {
    source.fail(std::string("the architecture is not valid JSON: ") + e.what());
  }
  const BasicStateDict<T> weights = detail::model_tensors<T>(contents, false, source);
  std::shared_ptr<BasicModule<T>> model = ModelBuilder<T>(source).build(tree, "");
  try {
    model->load_state_dict(weights);
  } catch (const Error& e) {
    source.fail(e.what());
  }
  return model;
}

template void save_model(const std::filesystem::path&, const BasicModule<float>&);
template void save_model(const std::filesystem::path&, const BasicModule<double>&);
template std::shared_ptr<BasicModule<float>> load_model(const std::filesystem::path&);
template std::shared_ptr<BasicModule<double>> load_model(const std::filesystem::path&);

}  // namespace tg::nn
