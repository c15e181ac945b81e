"""The words rnnlab gives torch.compile where it breaks the graph (:func:`.common.run_untraced`),
as far as this torch takes them: ``torch._dynamo.graph_break(msg=...)`` and
``torch.compiler.disable(fn, reason=...)`` are newer than rnnlab's torch floor (torch 2.4.1
takes neither keyword): there every compiled call of a layer on a kernel died with
"graph_break() got an unexpected keyword argument 'msg'". Imported under compilation
only (``import torch._dynamo`` costs seconds), and read there as constants: the signatures
are looked at here, at import, where dynamo does not trace."""

from __future__ import annotations

import inspect

import torch
import torch._dynamo

# What torch.compile(fullgraph=True) says where it meets one (dynamo's own words were
# "Attempted to call function marked as skipped ... function `disable`", naming nothing
# of rnnlab's)
UNTRACED_REASON = (
    "rnnlab runs torch's recurrent kernels (torch.lstm, torch.gru, ...) and its own "
    "whole-sequence kernels outside torch.compile's graph, as a graph break (dynamo cannot "
    "trace them; torch.nn.LSTM breaks the graph too), so torch.compile(fullgraph=True) "
    "cannot hold them. Compile with fullgraph=False (the default), or run the layers on "
    "rnnlab's step loop, which compiles into the graph unrolled over the time steps: "
    "impl='reference' on the layer, or rnnlab.nn.paths.set_impl(model, 'reference') "
    "(with lengths= the loop still breaks the graph where it reads them; torch.nn's RNN, "
    "GRU and LSTM, rnnlab's drop-ins included, enter a graph only with "
    "torch._dynamo.config.allow_rnn = True)")


def _takes(fn, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # (a builtin without a signature: no keyword)
        return False


BREAK_WORDS = {"msg": UNTRACED_REASON} if _takes(torch._dynamo.graph_break, "msg") else {}
DISABLE_WORDS = ({"reason": UNTRACED_REASON} if _takes(torch.compiler.disable, "reason")
                 else {})
