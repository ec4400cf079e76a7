#pragma once
// Integer class labels, one per sample: what classification data and losses share.
#include <cstddef>
#include <vector>

namespace tg {

using Labels = std::vector<std::size_t>;

}  // namespace tg
