#include "nn/default_generator.hpp"

namespace tg::nn {

Generator& default_generator() {
  static Generator generator(0);
  return generator;
}

void manual_seed(std::uint64_t seed) { default_generator() = Generator(seed); }

}  // namespace tg::nn
