#pragma once
// The generator layers draw their initial weights and dropout seeds from unless given one:
// `tg::nn::manual_seed(s)` before building a model makes it the same on every run.
// Like PyTorch's default generator it is process-wide and not meant for concurrent use.
#include <cstdint>

#include "autograd/random.hpp"

namespace tg::nn {

Generator& default_generator();
void manual_seed(std::uint64_t seed);

}  // namespace tg::nn
