#pragma once
// JSON read from a file (not installed: only .cpp files include nlohmann/json).
#include <algorithm>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "autograd/error.hpp"

namespace tg::nn {

// How deep a file's JSON may nest. nlohmann parses and frees any depth without recursion, but
// printing, comparing and copying recurse: a header nested 70,000 deep overflowed the stack.
inline constexpr int max_json_depth = 64;

// How deep `text` nests arrays and objects: its brackets outside strings, counted in one pass.
inline int json_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// `text` parsed; throws tg::Error saying "is not valid JSON: ..." or "nests more than 64 levels
// deep", for the caller to prefix with the file and what the text is. (The depth is counted
// beforehand: nlohmann's parser callbacks, which could count it, make parsing quadratic.)
template <class Json>
Json parse_json(std::string_view text) {
  if (json_depth(text) > max_json_depth)
    throw Error("nests more than " + std::to_string(max_json_depth) + " levels deep");
  try {
    return Json::parse(text);
  } catch (const typename Json::exception& e) {
    throw Error(std::string("is not valid JSON: ") + e.what());
  }
}

// A value as it reads in an error message: its JSON, cut short when long.
template <class Json>
std::string brief(const Json& value) {
  constexpr std::size_t most = 60;
  std::string text = value.dump();
  if (text.size() > most) text = text.substr(0, most) + "...";
  return text;
}

}  // namespace tg::nn
