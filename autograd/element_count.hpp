#pragma once
// Element counts checked before anything is allocated: a shape whose dimensions multiply past
// what can be addressed, or a tensor larger than the machine's memory, is an error naming the
// operation, never a wrapped-around count or an allocation that cannot succeed.
#include <cstddef>

#include "autograd/shape.hpp"

namespace tg {

// The most elements a tensor may have: 2^60, so that its byte size and xtensor's signed strides
// cannot overflow for any element type.
inline constexpr std::size_t max_elements = std::size_t{1} << 60;

// The product of the dimensions; throws naming `op` and the shape when it exceeds max_elements,
// also when another dimension is 0 (xtensor's strides are products of the other dimensions).
std::size_t element_count(const Shape& shape, const char* op);

// element_count, and checks that `element_size`-byte elements fit in the machine's memory (RAM
// and swap): a shape needing more is an error saying how much it needs.
std::size_t checked_allocation(const Shape& shape, std::size_t element_size, const char* op);

// "4 TiB", "37.3 GiB", "512 bytes".
std::string byte_size_str(double bytes);

}  // namespace tg
