#!/usr/bin/env python3
# The learning rates PyTorch's LinearLR (a warm-up) and OneCycleLR give, step after step: the
# numbers tests/test_lr_schedules.cpp's tests compare tapegrad's with. Run with /usr/bin/python3
# (PyTorch 1.13):  /usr/bin/python3 tests/lr_schedules.py
import torch


def rates(make_scheduler, lr, steps):
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    scheduler = make_scheduler(opt)
    out = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        out.append(opt.param_groups[0]["lr"])
    return out


def show(name, values):
    print(name + " = {" + ", ".join(repr(v) for v in values) + "};")


show("linear_lr", rates(lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4), 0.1, 6))
show("one_cycle", rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=10, cycle_momentum=False), 0.1, 9))
show("one_cycle_linear", rates(lambda o: torch.optim.lr_scheduler.OneCycleLR(
    o, max_lr=1.0, total_steps=8, pct_start=0.25, anneal_strategy="linear", div_factor=10.0, final_div_factor=100.0,
    cycle_momentum=False), 0.1, 7))
