"""torch's CPU LSTM kernel under a low-precision autocast, where oneDNN has none.

Under ``torch.autocast("cpu", dtype)`` torch's CPU LSTM is oneDNN's, in ``dtype``; oneDNN
builds a bf16 LSTM only with AVX-512 (on an AVX2-only CPU, or under
``ONEDNN_MAX_CPU_ISA=AVX2``), and an fp16 one only with AVX-512-FP16/AMX. Elsewhere the
call dies with ``RuntimeError: could not create a primitive descriptor for the LSTM
forward propagation primitive`` (``torch.nn.LSTM`` too). GRU and RNN run everywhere.

:func:`lowp_lstm_supported` finds out once per process and dtype with a tiny probe;
where it fails, :func:`fp32_lstm_where_needed` runs rnnlab's ``torch.lstm`` calls
(:class:`~rnnlab.nn.LSTM`, ``Recurrent(LSTMCell)``, their stacks) inside
:class:`Fp32Lstm`: torch's fp32 kernel with autocast off, the inputs cast to fp32. The
weights are fp32 under autocast either way, so only the LSTM's activations differ (fp32,
more exact); the output is fp32, which the next autocast op casts as it needs.
The training loop's bf16-mixed uses the same mode (:mod:`rnnlab.train.precision`).
"""

from __future__ import annotations

import threading

import contextlib
import functools

import torch
from torch import Tensor
from torch.nn.utils.rnn import PackedSequence
from torch.overrides import TorchFunctionMode

from .common import run_untraced


@functools.lru_cache(maxsize=None)
def lowp_lstm_supported(dtype: torch.dtype) -> bool:
    """True when torch's CPU LSTM kernel runs under ``torch.autocast("cpu", dtype)``
    here (a probe: a 2-step training forward, outside any torch-function mode, whose
    interception would answer for the kernel; cached per process and dtype). The probe
    runs with grad mode on, whatever the caller's: oneDNN may have a kernel for
    inference under ``no_grad`` only (fp16 on some AVX-512 CPUs), and a probe under
    no_grad answered yes where every training call then failed. The probe's weights are
    zeros, not a module's random draws: it leaves the RNG as it was, so a seeded run
    does not depend on whether it ran before."""
    z = torch.zeros
    params = [z(8, 2), z(8, 2), z(8), z(8)]  # weight_ih, weight_hh, bias_ih, bias_hh (H = 2)
    try:
        with torch._C.DisableTorchFunction(), torch.enable_grad(), \
                torch.autocast("cpu", dtype=dtype):
            torch.lstm(z(2, 1, 2), (z(1, 1, 2), z(1, 1, 2)), params, True, 1, 0.0, True,
                       False, False)
        return True
    except RuntimeError:
        return False


def _fp32(obj):
    if isinstance(obj, Tensor):
        return obj.float() if obj.is_floating_point() else obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(_fp32(o) for o in obj)
    return obj


class Fp32Lstm(TorchFunctionMode):
    """``torch.lstm`` runs in fp32 with the CPU autocast off; every other op as it was.
    Where one is entered (:func:`fp32_lstm_entered`), an LSTM layer's result is fp32, as
    torch.nn.LSTM's is (:func:`lstm_autocast_dtype`)."""

    _entered = threading.local()  # (per thread, as torch keeps its function modes)

    def __enter__(self):
        Fp32Lstm._entered.n = getattr(Fp32Lstm._entered, "n", 0) + 1
        return super().__enter__()

    def __exit__(self, *exc):
        Fp32Lstm._entered.n -= 1
        return super().__exit__(*exc)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is torch.lstm:
            with torch.autocast("cpu", enabled=False):
                return func(*_fp32(args), **_fp32(kwargs))
        return func(*args, **kwargs)


def fp32_lstm_entered() -> bool:
    """True when this thread runs inside an :class:`Fp32Lstm` (torch keeps its function
    modes per thread: a count on the class answered for every thread)."""
    return getattr(Fp32Lstm._entered, "n", 0) > 0


def lowp_cpu_autocast(x: Tensor) -> bool:
    """True when ``x`` is on the CPU under a CPU autocast to bf16 or fp16 (an LSTM on it
    would run oneDNN's kernel in that dtype); no probe."""
    if not torch.is_autocast_enabled("cpu") or x.device.type != "cpu":  # (cheapest first)
        return False
    return torch.get_autocast_dtype("cpu") in (torch.bfloat16, torch.float16)


def needs_fp32_lstm(x: Tensor) -> bool:
    """True when an LSTM on ``x`` runs under a CPU autocast whose dtype oneDNN has no
    LSTM for here. Under ``torch.compile`` the probe runs untraced: traced, dynamo
    skips its cache and runs it on fake tensors, where every kernel "runs", and the
    compiled LSTM then ran in bf16/fp16 where eager ran it in fp32 ("could not create a
    primitive descriptor" on an AVX2 CPU)."""
    if not lowp_cpu_autocast(x):
        return False
    dtype = torch.get_autocast_dtype("cpu")
    if torch.compiler.is_compiling():
        return not run_untraced(lowp_lstm_supported, dtype)
    return not lowp_lstm_supported(dtype)


def fp32_lstm_where_needed(op, x: Tensor):
    """A context for one call of torch's kernel ``op`` on ``x``: :class:`Fp32Lstm` where
    :func:`needs_fp32_lstm`, else nothing."""
    if op is torch.lstm and needs_fp32_lstm(x):
        return Fp32Lstm()
    return contextlib.nullcontext()


def no_forward_ad_here(op, x) -> bool:
    """True when ``op`` on ``x`` would be oneDNN's CPU LSTM (torch picks it for every
    dense CPU LSTM but float64's) inside ``forward_ad.dual_level()``: oneDNN's kernel
    has no forward AD, and the call died with "Trying to use forward AD with
    mkldnn_rnn_layer" (``torch.nn.LSTM`` too; float64 and the other cells have it). The
    step loop serves forward AD, and runs there instead."""
    return (op is torch.lstm and isinstance(x, Tensor) and x.device.type == "cpu"
            and x.dtype != torch.float64 and torch.autograd.forward_ad._current_level >= 0)


def lstm_autocast_dtype(x: Tensor, differ: bool):
    """The dtype torch's CPU LSTM call gives for a float32 ``x`` under the CPU autocast now,
    or None outside a bf16/fp16 CPU autocast (or for another dtype): fp32 for sequences of
    differing lengths (``differ``: torch's packed loop, not oneDNN's) and where oneDNN has
    no kernel for the dtype (rnnlab's fallback, :func:`fp32_lstm_where_needed`, or an
    entered :class:`Fp32Lstm`: the training loop's on such a CPU), else the
    autocast's dtype (oneDNN's kernel). rnnlab's other LSTM paths give it too: the step
    loop's cell state stays fp32 (its gates come out of autocast's matmuls in bf16, the
    zero state is fp32), and the padded path runs oneDNN's kernel on lengths that differ."""
    if not lowp_cpu_autocast(x) or x.dtype != torch.float32:
        return None
    if differ or fp32_lstm_entered() or needs_fp32_lstm(x):
        return torch.float32
    return torch.get_autocast_dtype("cpu")


def as_torchs_lstm(x, result):
    """A drop-in LSTM's result ``(out, (h, c))`` for the input ``x`` (a tensor or a
    PackedSequence) in the dtype torch's call gives (:func:`lstm_autocast_dtype`)."""
    packed = isinstance(x, PackedSequence)
    dtype = lstm_autocast_dtype(x.data if packed else x, packed and
                                int(x.batch_sizes[-1]) != int(x.batch_sizes[0]))
    if dtype is None:
        return result
    out, (h, c) = result
    out = out._replace(data=out.data.to(dtype)) if packed else out.to(dtype)
    return out, (h.to(dtype), c.to(dtype))
