#pragma once
// The one exception type tapegrad raises; its message names the operation or file and what is wrong.
#include <stdexcept>

namespace tg {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace tg
