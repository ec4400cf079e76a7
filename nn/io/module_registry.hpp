#pragma once
// How save_model writes a module's architecture and load_model rebuilds it: one factory per
// module type, by the type's name() ("Linear"), for float and for double modules apart. The
// library's layers, Sequential and build_network's networks are registered; a user's own module
// type joins like this:
//
//   struct Scaled : tg::nn::Module {                 // name() "Scaled"
//     explicit Scaled(float factor);
//     float factor;
//     ...
//   };
//   tg::nn::register_module_type<Scaled>(
//       "Scaled", [](const Scaled& m) { return tg::nn::ModuleConfig().set_number("factor", m.factor); },
//       [](const tg::nn::ModuleConfig& c) { return std::make_shared<Scaled>(c.number("factor")); });
//
// A model built of submodules in its constructor registers the same way, with the settings its
// constructor takes: its submodules are rebuilt by that constructor, then checked against the
// file's, and the weights come from the file.
#include <concepts>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "nn/module.hpp"

namespace tg::nn {

// The settings a module is rebuilt from: named flags, numbers, texts and lists of numbers
// (a JSON object in the file). Reading a key that is missing or holds another kind of value
// throws tg::Error naming the key.
class ModuleConfig {
 public:
  using Value = std::variant<bool, double, std::string, std::vector<double>>;

  ModuleConfig& set_flag(const std::string& key, bool value);
  ModuleConfig& set_number(const std::string& key, double value);
  ModuleConfig& set_text(const std::string& key, std::string value);
  ModuleConfig& set_numbers(const std::string& key, std::vector<double> values);
  ModuleConfig& set_counts(const std::string& key, const std::vector<std::size_t>& values);

  bool flag(const std::string& key) const;
  double number(const std::string& key) const;
  std::size_t count(const std::string& key) const;  // a number that is a whole count
  std::string text(const std::string& key) const;
  std::vector<double> numbers(const std::string& key) const;
  std::vector<std::size_t> counts(const std::string& key) const;

  bool contains(const std::string& key) const { return values_.count(key) != 0; }
  const std::map<std::string, Value>& values() const { return values_; }

 private:
  const Value& at(const std::string& key, const char* kind) const;

  std::map<std::string, Value> values_;
};

template <class T>
struct BasicModuleFactory {
  using ModuleT = BasicModule<T>;
  // The settings the module is rebuilt from (its constructor's arguments); empty if none.
  std::function<ModuleConfig(const ModuleT& module)> config;
  // A new module of the type from those settings. For a container, `children` are its
  // submodules rebuilt from the file, in order; otherwise they are empty.
  std::function<std::shared_ptr<ModuleT>(const ModuleConfig& config,
                                         const std::vector<typename ModuleT::NamedModule>& children)>
      build;
  // Sequential's kind: its submodules are whatever the file holds, not made by a constructor.
  bool container = false;
};
using ModuleFactory = BasicModuleFactory<float>;

// Registers (or replaces) the factory for modules of element type T whose name() is `type`.
// Meant for a program's start: registering while another thread saves or loads is a race.
template <class T>
void register_module_type(const std::string& type, BasicModuleFactory<T> factory);
// The factory for `type`; throws tg::Error naming the type when there is none.
template <class T>
BasicModuleFactory<T> module_factory(const std::string& type);
template <class T>
bool has_module_type(const std::string& type);

// The factory of a module type M with settings: `config` reads them from an M, `build` makes one.
template <class M>
  requires std::derived_from<M, BasicModule<typename M::value_type>>
BasicModuleFactory<typename M::value_type> make_module_factory(
    const std::string& type, std::function<ModuleConfig(const M&)> config,
    std::function<std::shared_ptr<M>(const ModuleConfig&)> build) {
  using ModuleT = BasicModule<typename M::value_type>;
  return {.config = [type, config](const ModuleT& module) {
            const auto* typed = dynamic_cast<const M*>(&module);
            if (!typed) throw Error("a module named '" + type + "' is not of the type registered under that name");
            return config(*typed);
          },
          .build = [build](const ModuleConfig& c,
                           const std::vector<typename ModuleT::NamedModule>&) -> std::shared_ptr<ModuleT> {
            return build(c);
          }};
}

// A module type M with settings (float or double, as M is).
template <class M>
  requires std::derived_from<M, BasicModule<typename M::value_type>>
void register_module_type(const std::string& type, std::function<ModuleConfig(const M&)> config,
                          std::function<std::shared_ptr<M>(const ModuleConfig&)> build) {
  register_module_type(type, make_module_factory<M>(type, std::move(config), std::move(build)));
}

// A module type without settings, built by its default constructor.
template <class M>
  requires std::derived_from<M, BasicModule<typename M::value_type>>
void register_module_type(const std::string& type) {
  register_module_type<M>(
      type, [](const M&) { return ModuleConfig(); }, [](const ModuleConfig&) { return std::make_shared<M>(); });
}

}  // namespace tg::nn
