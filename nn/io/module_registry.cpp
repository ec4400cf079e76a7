#include "nn/io/module_registry.hpp"

#include <cmath>
#include <mutex>

#include "nn/io/builtin_modules.hpp"

namespace tg::nn {
namespace {

const char* kind_of(const ModuleConfig::Value& value) {
  switch (value.index()) {
    case 0: return "a flag";
    case 1: return "a number";
    case 2: return "a text";
    default: return "a list of numbers";
  }
}

std::size_t as_count(const std::string& key, double value) {
  if (!(value >= 0 && value <= 9007199254740992.0 && std::floor(value) == value))
    throw Error("module setting '" + key + "' must be a whole count, got " + std::to_string(value));
  return static_cast<std::size_t>(value);
}

template <class T>
struct Registry {
  std::mutex mutex;
  std::map<std::string, BasicModuleFactory<T>> factories = detail::builtin_module_factories<T>();
};

template <class T>
Registry<T>& registry() {
  static Registry<T> instance;
  return instance;
}

}  // namespace

ModuleConfig& ModuleConfig::set_flag(const std::string& key, bool value) {
  values_[key] = value;
  return *this;
}

ModuleConfig& ModuleConfig::set_number(const std::string& key, double value) {
  if (!std::isfinite(value)) throw Error("module setting '" + key + "' must be finite, got " + std::to_string(value));
  values_[key] = value;
  return *this;
}

ModuleConfig& ModuleConfig::set_text(const std::string& key, std::string value) {
  values_[key] = std::move(value);
  return *this;
}

ModuleConfig& ModuleConfig::set_numbers(const std::string& key, std::vector<double> values) {
  for (const double v : values)
    if (!std::isfinite(v)) throw Error("module setting '" + key + "' must hold finite numbers, got " + std::to_string(v));
  values_[key] = std::move(values);
  return *this;
}

ModuleConfig& ModuleConfig::set_counts(const std::string& key, const std::vector<std::size_t>& values) {
  return set_numbers(key, std::vector<double>(values.begin(), values.end()));
}

const ModuleConfig::Value& ModuleConfig::at(const std::string& key, const char* kind) const {
  const auto it = values_.find(key);
  if (it == values_.end()) throw Error(std::string("module setting '") + key + "' is missing (" + kind + " is needed)");
  if (std::string(kind_of(it->second)) != kind)
    throw Error("module setting '" + key + "' is " + kind_of(it->second) + ", not " + kind);
  return it->second;
}

bool ModuleConfig::flag(const std::string& key) const { return std::get<bool>(at(key, "a flag")); }

double ModuleConfig::number(const std::string& key) const { return std::get<double>(at(key, "a number")); }

std::size_t ModuleConfig::count(const std::string& key) const { return as_count(key, number(key)); }

std::string ModuleConfig::text(const std::string& key) const { return std::get<std::string>(at(key, "a text")); }

std::vector<double> ModuleConfig::numbers(const std::string& key) const {
  return std::get<std::vector<double>>(at(key, "a list of numbers"));
}

std::vector<std::size_t> ModuleConfig::counts(const std::string& key) const {
  std::vector<std::size_t> out;
  for (const double v : numbers(key)) out.push_back(as_count(key, v));
  return out;
}

template <class T>
void register_module_type(const std::string& type, BasicModuleFactory<T> factory) {
  if (type.empty()) throw Error("register_module_type: the type name is empty");
  if (!factory.config || !factory.build)
    throw Error("register_module_type: the factory for '" + type + "' needs both config and build");
  Registry<T>& r = registry<T>();
  const std::lock_guard lock(r.mutex);
  r.factories[type] = std::move(factory);
}

template <class T>
BasicModuleFactory<T> module_factory(const std::string& type) {
  Registry<T>& r = registry<T>();
  const std::lock_guard lock(r.mutex);
  const auto it = r.factories.find(type);
  if (it == r.factories.end())
    throw Error("no factory is registered for modules of type '" + type + "': register_module_type(\"" + type +
                "\", ...) makes it savable and loadable");
  return it->second;
}

template <class T>
bool has_module_type(const std::string& type) {
  Registry<T>& r = registry<T>();
  const std::lock_guard lock(r.mutex);
  return r.factories.count(type) != 0;
}

#define TG_INSTANTIATE(T)                                                                    \
  template void register_module_type(const std::string&, BasicModuleFactory<T>);            \
  template BasicModuleFactory<T> module_factory(const std::string&);                        \
  template bool has_module_type<T>(const std::string&);
TG_INSTANTIATE(float)
TG_INSTANTIATE(double)

}  // namespace tg::nn
