#pragma once
// tapegrad: reverse-mode automatic differentiation on xtensor arrays.
#include "autograd/engine.hpp"
#include "autograd/grad_mode.hpp"
#include "autograd/tensor.hpp"
#include "ops/arithmetic.hpp"
#include "ops/math.hpp"
#include "ops/reduce.hpp"
#include "ops/shape.hpp"
