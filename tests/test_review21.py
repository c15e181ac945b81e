"""Session 21 review: what the merged branches broke, found by reading them together."""

import importlib

import torch


def test_run_untraced_works_with_the_oldest_torch_its_floor_allows(monkeypatch):
    """torch 2.4.1 (pyproject's floor) has ``graph_break()`` and ``disable(fn=None,
    recursive=True)``: the reason passed to both (new in session 21) made every compiled
    call of a layer on a kernel die with "graph_break() got an unexpected keyword argument
    'msg'". Their signatures as torch 2.4.1 has them; the call goes through, untraced."""
    from rnnlab.nn.fast import common, dynamo_words

    dynamo = importlib.import_module("torch._dynamo")

    calls = []

    def graph_break():  # torch 2.4.1's
        calls.append("break")

    def disable(fn=None, recursive=True):  # torch 2.4.1's
        calls.append("disable")
        return fn

    monkeypatch.setattr(dynamo, "graph_break", graph_break)
    monkeypatch.setattr(torch.compiler, "disable", disable)
    monkeypatch.setattr(common, "_UNTRACED", {})
    try:
        importlib.reload(dynamo_words)
        assert dynamo_words.BREAK_WORDS == {} and dynamo_words.DISABLE_WORDS == {}
        assert common.run_untraced(torch.add, torch.ones(2), torch.ones(2)).tolist() == [2, 2]
        assert calls == ["break", "disable"]
    finally:
        monkeypatch.undo()
        importlib.reload(dynamo_words)
    assert dynamo_words.BREAK_WORDS == {"msg": common.UNTRACED_REASON}  # (this torch's)
