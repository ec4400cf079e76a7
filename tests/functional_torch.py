#!/usr/bin/env python3
"""Writes tests/functional_torch.hpp: jacobian, hessian and hvp from PyTorch's
torch.autograd.functional, in double, for the functions test_functional.cpp rebuilds with tg ops.

usage: /usr/bin/python3 tests/functional_torch.py   (PyTorch 1.13 from Debian's python3-torch)
"""
import pathlib

import torch
from torch.autograd.functional import hessian, hvp, jacobian

torch.set_default_dtype(torch.float64)


def softmax_scaled(x):  # (2, 3) -> (2, 3)
    return torch.softmax(x, -1) * (x * x).sum()


def lse_cubes(x):  # (2, 2) -> one element
    return torch.logsumexp(x.reshape(-1), 0) * (x ** 3).sum() + torch.tanh(x).sum()


x1 = torch.tensor([[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]])
x2 = torch.tensor([[0.5, -0.7], [1.1, 0.2]])
v2 = torch.tensor([[1.0, -2.0], [0.5, 3.0]])

values = {
    "softmax_scaled_x": x1,
    "softmax_scaled_jacobian": jacobian(softmax_scaled, x1),
    "lse_cubes_x": x2,
    "lse_cubes_v": v2,
    "lse_cubes_hessian": hessian(lse_cubes, x2),
    "lse_cubes_hvp": hvp(lse_cubes, x2, v2)[1],
}

lines = [
    "#pragma once",
    "// Written by tests/functional_torch.py from torch.autograd.functional (PyTorch "
    + torch.__version__.split("+")[0] + ", double); do not edit.",
    "#include <vector>",
    "",
    '#include "autograd/shape.hpp"',
    "",
    "namespace tg::testing::torch_functional {",
    "",
    "struct Array {",
    "  Shape shape;",
    "  std::vector<double> values;  // row-major",
    "};",
    "",
]
for name, t in values.items():
    shape = ", ".join(str(d) for d in t.shape)
    numbers = ", ".join(repr(float(v)) for v in t.reshape(-1).tolist())
    lines.append(f"inline const Array {name} = {{{{{shape}}}, {{{numbers}}}}};")
lines += ["", "}  // namespace tg::testing::torch_functional", ""]
out = pathlib.Path(__file__).with_name("functional_torch.hpp")
out.write_text("\n".join(lines))
print("wrote", out)
