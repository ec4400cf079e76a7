#!/usr/bin/python3
"""Writes what PyTorch computes for its recurrent cells and layers, for tests/test_rnn_reference.cpp.

    /usr/bin/python3 tests/rnn_reference.py     (PyTorch 1.13; writes into tests/data/rnn/)

reference.safetensors holds, for every case in float32 and float64, the inputs, the
parameters under PyTorch's names, random gradients for every output, the outputs, and the
gradients of sum(output * grad) for the input, the initial state and every parameter. Keys are
"<case>/<name>" ("lstm_stacked_f64/weight_ih_l1_reverse", ".../weight_ih_l1_reverse.grad");
each case's settings are a metadata string "<case>" of "key=value" words.

lstm_state_dict.safetensors is one float LSTM's state_dict alone, saved as
safetensors.torch.save_file(model.state_dict(), ...) saves it; the case "state_dict_lstm_f32"
holds its inputs and outputs. The safetensors package is not installed here, so the format
(8-byte little-endian header length, JSON header, raw little-endian data) is written by hand.
"""
import json
import os
import struct

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "rnn")
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}

# Layers: sequence 5, batch 3, input 3, hidden 4. Lengths are unsorted, one of them full.
LAYERS = [
    ("lstm", "LSTM", {}, {}),
    ("lstm_stacked_bidirectional_batch_first", "LSTM", dict(num_layers=2, bidirectional=True, batch_first=True), {}),
    ("lstm_stacked_no_bias_zero_state", "LSTM", dict(num_layers=2, bias=False), dict(initial_state=False)),
    ("lstm_stacked_bidirectional_lengths", "LSTM", dict(num_layers=2, bidirectional=True), dict(lengths=[5, 2, 4])),
    ("gru_bidirectional", "GRU", dict(bidirectional=True), {}),
    ("gru_stacked_batch_first_no_bias", "GRU", dict(num_layers=2, batch_first=True, bias=False), {}),
    ("gru_lengths_zero_state", "GRU", {}, dict(lengths=[3, 5, 1], initial_state=False)),
    ("rnn_tanh_stacked_bidirectional", "RNN", dict(num_layers=2, bidirectional=True), {}),
    ("rnn_relu_batch_first_lengths", "RNN", dict(nonlinearity="relu", batch_first=True), dict(lengths=[2, 5, 3])),
    ("rnn_relu_stacked_no_bias", "RNN", dict(nonlinearity="relu", num_layers=2, bias=False), {}),
]
# Cells: batch 2, input 3, hidden 4.
CELLS = [
    ("lstm_cell", "LSTMCell", dict(bias=True)),
    ("lstm_cell_no_bias", "LSTMCell", dict(bias=False)),
    ("gru_cell", "GRUCell", dict(bias=True)),
    ("gru_cell_no_bias", "GRUCell", dict(bias=False)),
    ("rnn_tanh_cell", "RNNCell", dict(bias=True, nonlinearity="tanh")),
    ("rnn_relu_cell", "RNNCell", dict(bias=True, nonlinearity="relu")),
    ("rnn_relu_cell_no_bias", "RNNCell", dict(bias=False, nonlinearity="relu")),
]
STEPS, BATCH, INPUT, HIDDEN = 5, 3, 3, 4


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        array = t.detach().contiguous().numpy()
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def settings(**kw):
    return " ".join(f"{k}={int(v) if isinstance(v, bool) else v}" for k, v in kw.items())


def layer_case(out, name, kind, options, extra, dtype, seed):
    torch.manual_seed(seed)
    opts = dict(num_layers=1, bias=True, batch_first=False, bidirectional=False)
    opts.update(options)
    nonlinearity = opts.pop("nonlinearity", "tanh")
    cls = getattr(torch.nn, kind)
    model = (cls(INPUT, HIDDEN, nonlinearity=nonlinearity, **opts) if kind == "RNN" else cls(INPUT, HIDDEN, **opts)).to(dtype)
    D = 2 if opts["bidirectional"] else 1
    x = torch.randn((BATCH, STEPS, INPUT) if opts["batch_first"] else (STEPS, BATCH, INPUT), dtype=dtype, requires_grad=True)
    state_shape = (opts["num_layers"] * D, BATCH, HIDDEN)
    initial = extra.get("initial_state", True)
    h0 = torch.randn(state_shape, dtype=dtype, requires_grad=True) if initial else None
    c0 = torch.randn(state_shape, dtype=dtype, requires_grad=True) if initial and kind == "LSTM" else None
    state = (h0, c0) if c0 is not None else h0
    lengths = extra.get("lengths")
    inp = pack_padded_sequence(x, lengths, batch_first=opts["batch_first"], enforce_sorted=False) if lengths else x
    output, final = model(inp, state)
    if lengths:
        output, _ = pad_packed_sequence(output, batch_first=opts["batch_first"], total_length=STEPS)
    h_n, c_n = final if kind == "LSTM" else (final, None)
    results = {"output": output, "h_n": h_n}
    if c_n is not None:
        results["c_n"] = c_n
    seeds = {k: torch.randn(v.shape, dtype=dtype) for k, v in results.items()}
    sum((v * seeds[k]).sum() for k, v in results.items()).backward()

    key = f"{name}_{DTYPES[dtype].lower()}"
    t = {"input": x}
    if h0 is not None:
        t["h0"] = h0
    if c0 is not None:
        t["c0"] = c0
    if lengths:
        t["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    t.update(dict(model.named_parameters()))
    t.update({f"grad_{k}": v for k, v in seeds.items()})
    t.update(results)
    t.update({f"{k}.grad": v.grad for k, v in list(t.items()) if v.is_leaf and v.grad is not None})
    for k, v in t.items():
        out[f"{key}/{k}"] = v
    meta = settings(kind=kind, input_size=INPUT, hidden_size=HIDDEN, num_layers=opts["num_layers"], bias=opts["bias"],
                    batch_first=opts["batch_first"], bidirectional=opts["bidirectional"], nonlinearity=nonlinearity,
                    initial_state=initial, dtype=DTYPES[dtype])
    return key, meta, model


def cell_case(out, name, kind, options, dtype, seed):
    torch.manual_seed(seed)
    cell = getattr(torch.nn, kind)(INPUT, HIDDEN, **options).to(dtype)
    x = torch.randn(BATCH - 1, INPUT, dtype=dtype, requires_grad=True)
    h = torch.randn(BATCH - 1, HIDDEN, dtype=dtype, requires_grad=True)
    t = {"x": x, "h": h}
    if kind == "LSTMCell":
        c = torch.randn(BATCH - 1, HIDDEN, dtype=dtype, requires_grad=True)
        t["c"] = c
        h_next, c_next = cell(x, (h, c))
        results = {"h_next": h_next, "c_next": c_next}
    else:
        results = {"h_next": cell(x, h)}
    seeds = {k: torch.randn(v.shape, dtype=dtype) for k, v in results.items()}
    sum((v * seeds[k]).sum() for k, v in results.items()).backward()
    t.update(dict(cell.named_parameters()))
    t.update({f"grad_{k}": v for k, v in seeds.items()})
    t.update(results)
    t.update({f"{k}.grad": v.grad for k, v in list(t.items()) if v.is_leaf and v.grad is not None})
    key = f"{name}_{DTYPES[dtype].lower()}"
    for k, v in t.items():
        out[f"{key}/{k}"] = v
    return key, settings(kind=kind, nonlinearity=options.get("nonlinearity", "tanh"), bias=options["bias"],
                         dtype=DTYPES[dtype])


def main():
    tensors, metadata = {}, {"torch": torch.__version__}
    seed = 0
    for dtype in (torch.float32, torch.float64):
        for name, kind, options, extra in LAYERS:
            seed += 1
            key, meta, _ = layer_case(tensors, name, kind, options, extra, dtype, seed)
            metadata[key] = meta
        for name, kind, options in CELLS:
            seed += 1
            key, meta = cell_case(tensors, name, kind, options, dtype, seed)
            metadata[key] = meta
    key, meta, model = layer_case(tensors, "state_dict_lstm", "LSTM", dict(num_layers=2, bidirectional=True), {},
                                  torch.float32, 1000)
    metadata[key] = meta
    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "reference.safetensors"), tensors, metadata)
    write_safetensors(os.path.join(OUT, "lstm_state_dict.safetensors"), model.state_dict(), None)
    print(f"{len(metadata) - 1} cases, {len(tensors)} tensors")


if __name__ == "__main__":
    main()
