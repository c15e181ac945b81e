"""How rnnlab's recurrent modules meet torch's graph capture: ``torch.fx`` records each as
one node (as it records torch.nn's RNNs), ``torch.jit.script`` is refused with what to use
instead, and ``torch.jit.trace`` of the step loop is said to be unrolled."""

from __future__ import annotations

import warnings

import torch
from torch import nn

from ..callers_line import callers_level
from ..io.errors import UnsupportedError


def fx_leaf_call(module: nn.Module, x, *args):
    """Under ``torch.fx.symbolic_trace`` (``x`` an fx Proxy): the call recorded as one
    ``call_module`` node, as fx records torch.nn's RNNs and cells (leaves, whose forward
    it does not trace; rnnlab's forward, checks and paths, cannot be traced: the trace
    died on its first check); None when not tracing."""
    if not isinstance(x, torch.fx.Proxy):
        return None
    tracer = x.tracer
    if not isinstance(tracer, torch.fx.Tracer):  # (a Proxy of a graph's node: no modules)
        raise torch.fx.proxy.TraceError(
            f"{type(module).__name__}: called on an fx Proxy of no tracer of modules "
            f"({type(tracer).__name__}); rnnlab's recurrent modules are recorded as one node "
            f"each by torch.fx.symbolic_trace of the model that holds them: trace that model")
    path = tracer.path_of_module(module)
    if not path:  # the traced root: no node of its own graph ("object has no attribute ''")
        raise torch.fx.proxy.TraceError(
            f"{type(module).__name__}: torch.fx.symbolic_trace records rnnlab's recurrent "
            f"modules as one node each in a model that holds them, as torch.nn's RNNs (whose "
            f"own forward it cannot trace either); trace the model that holds it, or wrap it: "
            f"torch.fx.symbolic_trace(torch.nn.Sequential(module))")
    return tracer.create_proxy("call_module", path, (x, *args), {})


def refuse_torchscript(module: nn.Module):
    """``torch.jit.script`` is refused with what to use instead: rnnlab's layers are Python
    TorchScript cannot compile (torch calls ``__prepare_scriptable__`` on every submodule)."""
    raise UnsupportedError(
        f"{type(module).__name__}: TorchScript (torch.jit.script) cannot compile rnnlab's "
        f"modules; use torch.compile(module), torch.export.export(module, (example_input,)), "
        f"or torch.jit.trace(module, example_input) for a graph of the traced shapes")


def warn_unrolled(name: str, steps: int) -> None:
    """``torch.jit.trace`` of the step loop records it unrolled: the traced module then
    takes sequences of the traced length only, and another length failed with the
    tracer's "Expected 5 elements in a list but found 7", naming nothing of rnnlab's. Said
    when tracing, as torch says its own trace-time limits (a TracerWarning)."""
    warnings.warn(
        f"{name}: torch.jit.trace records rnnlab's step loop unrolled over the {steps} "
        f"traced time steps, so the traced module takes sequences of {steps} steps only "
        f"(another length fails: \"Expected {steps} elements in a list\"); trace once per "
        f"sequence length, pad inputs to {steps} steps with lengths=, or use "
        f"torch.compile(model), which takes any length", torch.jit.TracerWarning,
        stacklevel=callers_level(3))  # (the line that traced: 3 named Recurrent.forward's)
