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

from .common import UNTRACED_REASON


def _takes(fn, name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):  # (a builtin without a signature: no keyword)
        return False


BREAK_WORDS = {"msg": UNTRACED_REASON} if _takes(torch._dynamo.graph_break, "msg") else {}
DISABLE_WORDS = ({"reason": UNTRACED_REASON} if _takes(torch.compiler.disable, "reason")
                 else {})
