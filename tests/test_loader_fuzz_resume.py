"""Fuzzing what a resumed fit reads of a training state (seeded): a language model's
checkpoint whose train_state's fields are removed or given values of another kind,
written back with its hash recorded again (an edit the hash cannot catch). The resumed
fit refuses it with an RnnlabError or trains on; never a bare KeyError/TypeError from
inside the loop, nor a hang."""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
from pathlib import Path

import pytest
import torch

from fuzz_files import check_case, set_at, write_json

TEXT = "the quick brown fox. " * 40
MODEL = dict(model="lstm", hidden_size=8, num_layers=1, embedding=4, dropout=0.0)
FIT = dict(seq_len=8, batch_size=4, progress=False)
VALUES = [None, "x", [], {}, True, 10 ** 9, -1, math.nan]


def _paths(tree, prefix=(), depth=3):
    out = []
    if isinstance(tree, dict) and depth:
        for k, v in tree.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,), depth - 1)
    return out


def _rewrite(folder: Path, kp, value) -> None:
    from rnnlab.io.tree_file import load_tree, save_tree

    ts = folder / "train_state.safetensors"
    state = load_tree(ts)
    set_at(state, kp, value)
    sha = save_tree(ts, state)
    meta = json.loads((folder / "meta.json").read_bytes())
    meta["files"]["train_state.safetensors"] = sha
    write_json(folder / "meta.json", meta, True)
    assert hashlib.sha256(ts.read_bytes()).hexdigest() == sha


@pytest.mark.slow
def test_charlm_resume_reads_train_state(tmp_path):
    from rnnlab.lm import CharLM
    from rnnlab.train.checkpoint import CheckpointManager

    torch.manual_seed(0)
    CharLM(**MODEL).fit(TEXT, checkpoint_dir=tmp_path / "base", epochs=1, **FIT)
    folder = CheckpointManager(tmp_path / "base").resume_folder().name
    from rnnlab.io.tree_file import load_tree

    paths = _paths(load_tree(tmp_path / "base" / folder / "train_state.safetensors"))
    cases = [(kp, v) for kp in paths for v in VALUES + ["delete"]]
    random.Random(61).shuffle(cases)
    fails = []
    for i, (kp, value) in enumerate(cases[:120]):
        case = tmp_path / f"c{i}"
        shutil.copytree(tmp_path / "base", case)
        _rewrite(case / folder, kp, value)

        def resume():
            return CharLM(**MODEL).fit(TEXT, checkpoint_dir=case, resume=True, epochs=2, **FIT)
        line = check_case(f"train_state {'.'.join(map(str, kp))} = {value!r}", True, resume,
                          lambda lm: lm.generate("the ", n=5, temperature=0), None,
                          lambda got, exp: isinstance(got, str))
        if line:
            fails.append(line)
        shutil.rmtree(case, ignore_errors=True)
    assert not fails, "\n".join(fails)


@pytest.fixture(scope="module")
def lm_checkpoint(tmp_path_factory):
    from rnnlab.lm import CharLM
    from rnnlab.train.checkpoint import CheckpointManager

    root = tmp_path_factory.mktemp("lmck")
    torch.manual_seed(0)
    CharLM(**MODEL).fit(TEXT, checkpoint_dir=root / "base", epochs=1, **FIT)
    return root / "base", CheckpointManager(root / "base").resume_folder().name


@pytest.mark.parametrize("kp, value, match", [
    (("epoch",), None, "epoch should be a whole number"),  # TypeError None + int
    (("epoch",), math.nan, "epoch should be a whole number"),  # TypeError float as int
    (("history", "epochs"), "x", "history.epochs should be"),  # AttributeError .append
    (("history", "best_val_loss"), [], "history.best_val_loss"),  # TypeError float < list
    (("scheduler", "patience"), None, "scheduler.patience should be a whole number"),
    (("scheduler", "mode"), {}, "scheduler.mode should be text"),  # unhashable type
    (("optimizer", "state"), [], "optimizer.state should be an object"),  # AttributeError
    (("optimizer",), True, "optimizer should be an object"),  # AttributeError .get
    (("carry",), -1, "carry should hold tensors, found none"),  # ValueError from the LSTM
    (("carry",), "x", "carry should hold tensors, found none"),  # (text beside them: kept)
    (("optimizer", "param_groups"), {}, "optimizer.param_groups should be a list")])
def test_resume_refuses_a_train_state_of_another_kind(lm_checkpoint, tmp_path, kp, value,
                                                       match):
    """Found by test_charlm_resume_reads_train_state: each was a bare error from inside
    the resumed loop (noted beside each case)."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.lm import CharLM

    base, folder = lm_checkpoint
    shutil.copytree(base, tmp_path / "c")
    _rewrite(tmp_path / "c" / folder, kp, value)
    with pytest.raises(CheckpointError, match=match):
        CharLM(**MODEL).fit(TEXT, checkpoint_dir=tmp_path / "c", resume=True, epochs=2, **FIT)


@pytest.mark.parametrize("schedule", [None, "cosine"])
def test_a_captured_runs_state_resumes_eagerly_and_back(schedule):
    """A captured run keeps its learning rate as a 0-d tensor (optimizer and scheduler),
    an eager one as a float; a checkpoint of either resumes as the other (optim.settle_lr).
    The kind check refused both ways ('param_groups[0].lr should be a number, found a
    tensor'). A rate given as text is still refused."""
    from torch import nn

    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.run_state import History
    from rnnlab.train.state_kinds import check_state_kinds

    p = [nn.Parameter(torch.zeros(2))]
    eager = torch.optim.Adam(p, lr=0.01)
    captured = torch.optim.Adam(p, lr=torch.tensor(0.01), capturable=True)

    def state(opt):
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=3) if schedule else None
        return {"optimizer": opt.state_dict(), "history": History().to_dict(),
                "scheduler": None if sched is None else sched.state_dict(),
                "epoch": 0, "index": 0, "bad_epochs": 0, "best_state": None, "carry": None}

    check_state_kinds(state(captured), state(eager), History, "ck")
    check_state_kinds(state(eager), state(captured), History, "ck")
    text = state(eager)
    text["optimizer"]["param_groups"][0]["lr"] = "0.01"
    with pytest.raises(CheckpointError, match=r"param_groups\[0\]\.lr should be a number, "
                                              r"found text"):
        check_state_kinds(text, state(captured), History, "ck")
