#pragma once
// Predicates for BOOST_CHECK_EXCEPTION that check what an error says, printing it when wrong.
#include <boost/test/unit_test.hpp>

#include <exception>
#include <string>
#include <vector>

namespace tg::testing {

// what() contains every one of `parts`.
inline auto message_contains(std::vector<std::string> parts) {
  return [parts = std::move(parts)](const std::exception& e) {
    const std::string message = e.what();
    for (const auto& part : parts)
      if (message.find(part) == std::string::npos) {
        BOOST_TEST_MESSAGE("the message '" << message << "' lacks '" << part << "'");
        return false;
      }
    return true;
  };
}

// what() is exactly `expected`.
inline auto message_is(std::string expected) {
  return [expected = std::move(expected)](const std::exception& e) {
    if (expected == e.what()) return true;
    BOOST_TEST_MESSAGE("the message is '" << e.what() << "', expected '" << expected << "'");
    return false;
  };
}

}  // namespace tg::testing
