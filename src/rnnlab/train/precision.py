"""Mixed precision on CPUs whose oneDNN has no bf16 LSTM.

torch's CPU LSTM kernel under ``torch.autocast("cpu", torch.bfloat16)`` is oneDNN's,
and oneDNN builds a bf16 LSTM only with AVX-512 (on an AVX2-only CPU it fails with
``RuntimeError: could not create a primitive descriptor``). GRU and RNN run there.

:func:`cpu_bf16_lstm_supported` finds out once per process with a tiny probe (a
2-step LSTM under bf16 autocast). Where it fails, :func:`autocast_context` adds
:class:`Fp32Lstm` to the autocast: every ``torch.lstm`` call (``torch.nn.LSTM``, rnnlab's
``LSTM`` and ``Recurrent(LSTMCell)``) runs torch's fp32 kernel with autocast off, its
inputs cast to fp32; every other op keeps bf16. The weights are fp32 master weights
either way, so only the LSTM's activations differ (fp32, more exact than bf16).
"""

from __future__ import annotations

import contextlib
import sys
from typing import List

import torch

from ..nn.fast.lowp_lstm import Fp32Lstm, lowp_lstm_supported  # noqa: F401 (Fp32Lstm: one mode)
from ..io.errors import ConfigError


def cpu_bf16_lstm_supported() -> bool:
    """True when torch's CPU LSTM kernel runs under bf16 autocast here (a probe: a tiny
    LSTM forward; cached for the process: :func:`rnnlab.nn.fast.lowp_lstm.lowp_lstm_supported`).
    Tests monkeypatch this to simulate a CPU without AVX-512."""
    return lowp_lstm_supported(torch.bfloat16)


def needs_lstm_fallback(precision: str, device: torch.device) -> bool:
    """True for bf16-mixed on a CPU whose oneDNN has no bf16 LSTM."""
    return (precision == "bf16-mixed" and torch.device(device).type == "cpu"
            and not cpu_bf16_lstm_supported())


def autocast_context(precision: str, device: torch.device):
    """``torch.autocast`` for ``precision`` on ``device`` (nullcontext for "32"), with the
    fp32 LSTM fallback where :func:`needs_lstm_fallback`."""
    if precision == "32":
        return contextlib.nullcontext()
    dtype = torch.bfloat16 if precision == "bf16-mixed" else torch.float16
    if dtype is torch.float16 and device.type != "cuda":
        raise ConfigError("precision '16-mixed' needs a CUDA device; use 'bf16-mixed' on CPU")
    if not needs_lstm_fallback(precision, device):
        return torch.autocast(device.type, dtype=dtype)
    stack = contextlib.ExitStack()
    stack.enter_context(torch.autocast(device.type, dtype=dtype))
    stack.enter_context(Fp32Lstm())
    return stack


FALLBACK_WHY = "this CPU has no bf16 LSTM kernel: oneDNN needs AVX-512"


def lstm_layers(model: torch.nn.Module) -> list:
    """The names of ``model``'s LSTM layers (``torch.nn.LSTM``, rnnlab's ``LSTM``,
    ``Recurrent(LSTMCell)``), outermost only ("" for the model itself): those
    :class:`Fp32Lstm` runs in fp32."""
    names: List[str] = []
    for name, m in model.named_modules():
        if any(name.startswith(n + ".") or n == "" for n in names):
            continue  # (inside a layer already named)
        if isinstance(m, torch.nn.LSTM) or type(getattr(m, "cell", None)).__name__ == "LSTMCell":
            names.append(name)
    return names


def layer_precision(model: torch.nn.Module, precision: str, device: torch.device) -> dict:
    """The precision each part of ``model`` trains in at ``precision`` on ``device``, as it
    runs: ``{"all layers": precision}``, or, for bf16-mixed on a CPU without a bf16 LSTM
    kernel, the LSTM layers by name with "32 (why)" and ``"other layers": "bf16-mixed"``
    (the training loop records it in the run's history: only stderr said it before)."""
    layers = lstm_layers(model) if needs_lstm_fallback(precision, device) else []
    if not layers:
        return {"all layers": precision}
    if layers == [""]:
        return {"all layers": f"32 ({FALLBACK_WHY})"}
    return {**{name: f"32 ({FALLBACK_WHY})" for name in layers}, "other layers": precision}


def note_fallback(model: torch.nn.Module, precision: str, device: torch.device,
                  is_main: bool = True) -> bool:
    """Say once, before training, that the LSTM layers run in fp32 here (True if so)."""
    if not needs_lstm_fallback(precision, device) or not lstm_layers(model):
        return False
    if is_main:
        print("rnnlab: note: this CPU has no bf16 LSTM kernel (oneDNN needs AVX-512); the "
              "LSTM layers run in fp32 inside bf16-mixed, the other layers in bf16 (recorded "
              "as the run's precision)", file=sys.stderr)
    return True
