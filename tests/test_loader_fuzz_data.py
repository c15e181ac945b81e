"""Fuzzing the loaders of training checkpoints, prepared corpora, CSV series and panels
and bench results (seeded; :mod:`fuzz_files`): a mutated file is refused with an
RnnlabError, or loads to what the original loaded to (a CSV, which carries no checksum:
to a checked series or panel)."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from fuzz_files import (check_case, file_mutations, header_of, json_mutations, run_cases,
                        with_header, write_json)


def flat(tree):
    """A training state as comparable leaves (tensors as lists; NaN as text)."""
    if isinstance(tree, torch.Tensor):
        return ("tensor", str(tree.dtype), tuple(tree.shape), repr(tree.tolist()))
    if isinstance(tree, dict):
        return ("dict", tuple((repr(k), flat(v)) for k, v in tree.items()))
    if isinstance(tree, (list, tuple)):
        return (type(tree).__name__, tuple(flat(v) for v in tree))
    return repr(tree) if isinstance(tree, float) and math.isnan(tree) else tree


# ---------------------------------------------------------------------------- checkpoints
@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """A checkpoint as training writes one: a model's weights, its optimizer's state, the
    random generators' states and the loop's counters."""
    from rnnlab.train.checkpoint import CheckpointManager

    root = tmp_path_factory.mktemp("ck")
    torch.manual_seed(0)
    net = torch.nn.GRU(2, 3)
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    net(torch.randn(4, 1, 2))[0].sum().backward()
    opt.step()
    mgr = CheckpointManager(root / "ck", keep=2)
    for step in (1, 2):
        mgr.save(step, net.state_dict(), {"optimizer": opt.state_dict(), "epoch": step,
                                          "rng": torch.get_rng_state(), "best": math.inf,
                                          "position": (step, 0)}, {"kind": "fuzz"})
    return root / "ck", mgr.resume_folder().name, _ck_behave(mgr.load())


def _ck_behave(loaded):
    weights, state, _ = loaded  # (safetensors gives the tensors in no fixed order)
    return flat(dict(sorted(weights.items()))), flat(state)


def _ck_load(d):
    from rnnlab.train.checkpoint import CheckpointManager

    return CheckpointManager(d).load()


def _ck_cases(checkpoint, tmp_path, rel, muts):
    base, _, expected = checkpoint
    return run_cases(base, rel, muts, _ck_load, _ck_behave, expected,
                     lambda got, exp: exp is None or got == exp, tmp_path)


def test_checkpoint_files_damaged(checkpoint, tmp_path):
    base, folder, _ = checkpoint
    fails = []
    for rel in ("latest.json", f"{folder}/meta.json", f"{folder}/model.safetensors",
                f"{folder}/train_state.safetensors"):
        fails += _ck_cases(checkpoint, tmp_path, rel, file_mutations(base / rel, 3))
    assert not fails, "\n".join(fails)


def test_checkpoint_json_fields(checkpoint, tmp_path):
    base, folder, _ = checkpoint
    fails = []
    for rel, limit in (("latest.json", 20), (f"{folder}/meta.json", 40)):
        fails += _ck_cases(checkpoint, tmp_path, rel, json_mutations(base / rel, 4, limit, 4))
    assert not fails, "\n".join(fails)


TREES = ['{"$tensor":"nope"}', '{"$dict":[[{"$tensor":"t000000"},1]]}', "[" * 100000,
         '{"$float":"1e999"}', '{"$tuple":3}', '{"$dict":[[1]]}', "not json", '"\\ud800"',
         '{"a":1,"b":2}', "1e999999", "9" * 5000]


def _tree_writer(tree: str, folder: str):
    def apply(p: Path) -> None:
        header, body = header_of(p)
        header["__metadata__"]["tree"] = tree
        data = with_header(header, body)
        p.write_bytes(data)
        meta_path = p.parent / "meta.json"
        meta = json.loads(meta_path.read_bytes())
        meta["files"]["train_state.safetensors"] = hashlib.sha256(data).hexdigest()
        write_json(meta_path, meta, True)
    return apply


def test_checkpoint_train_state_trees(checkpoint, tmp_path):
    """The nesting a training state's metadata holds, rewritten (hash recorded again)."""
    base, folder, _ = checkpoint
    muts = [(f"tree{i}", False, _tree_writer(t, folder)) for i, t in enumerate(TREES)]
    fails = _ck_cases(checkpoint, tmp_path, f"{folder}/train_state.safetensors", muts)
    assert not fails, "\n".join(fails)


# ---------------------------------------------------------------------------- corpus
@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus

    root = tmp_path_factory.mktemp("corpus")
    (root / "text.txt").write_text("the quick brown fox jumps over the lazy dog. " * 30)
    prepare_corpus(root / "text.txt", root / "prep", val_fraction=0.2)
    return root / "prep", _corpus_behave(load_prepared(root / "prep"))


def _corpus_behave(c):
    ids = np.asarray(c.ids)
    assert ids.max() < len(c.vocab)  # (a loaded corpus's ids index its vocabulary)
    return (tuple(c.vocab.tokens), ids.tobytes(), c.train_tokens, c.val_fraction)


def test_corpus_files(corpus, tmp_path):
    from rnnlab.data.corpus_mmap import load_prepared

    base, expected = corpus
    fails = []
    for rel in ("corpus.json", "vocab.json", "tokens.bin"):
        muts = file_mutations(base / rel, 5)
        if rel != "tokens.bin":
            muts += json_mutations(base / rel, 6, 60, depth=4)
        fails += run_cases(base, rel, muts, load_prepared, _corpus_behave, expected,
                           lambda got, exp: exp is None or got == exp, tmp_path)
    assert not fails, "\n".join(fails)


# ---------------------------------------------------------------------------- CSV
def _csv_cases(tmp_path, text: str, load):
    base = tmp_path / "base"
    base.mkdir()
    (base / "d.csv").write_text(text)
    expected = load(base)
    return run_cases(base, "d.csv", file_mutations(base / "d.csv", 7), load, lambda x: x,
                     expected, lambda got, exp: True, tmp_path)


def test_csv_series(tmp_path):
    from rnnlab.data.series import load_series

    text = "date,value\n" + "".join(f"2020-01-{d:02d},{d * 1.5}\n" for d in range(1, 29))
    fails = _csv_cases(tmp_path, text, lambda d: load_series(d / "d.csv").values)
    assert not fails, "\n".join(fails)


def test_csv_panel(tmp_path):
    from rnnlab.panel.frame import read_panel

    rows = [f"s{i},2020-01-{d:02d},{d + i}.5" for i in range(3) for d in range(1, 21)]
    fails = _csv_cases(tmp_path, "unique_id,ds,y\n" + "\n".join(rows) + "\n",
                       lambda d: read_panel(str(d / "d.csv")).df)
    assert not fails, "\n".join(fails)


# ---------------------------------------------------------------------------- bench JSON
def test_bench_results(tmp_path):
    """A results file of rnnlab bench, and its rows' fields edited (the table
    benchmarks/to_markdown.py makes of it must be made, or the file refused)."""
    from rnnlab.bench.cli import format_row
    from rnnlab.bench.record import load_results
    from rnnlab.bench.suite import Result

    row = Result(config="tiny", model="lstm", path="torch", layers=1, dtype="float32",
                 device="cpu", fwd_ms=1.0, fwd_bwd_ms=2.0, steps_per_s=10.0, anchor="torch",
                 ratio=None, fwd_bwd_min_ms=1.9).as_dict()
    base = tmp_path / "base"
    base.mkdir()
    (base / "b.json").write_text(json.dumps({"rows": [row, row]}, indent=1))
    (tmp_path / "row.json").write_text(json.dumps(row))

    def load(d):
        return [format_row(r) for r in load_results(d / "b.json")[1]]
    expected = load(base)
    # (no checksum: a flipped digit of a time is another time, so a table of the same rows
    # is what a byte mutation must give, or a refusal; it was `got == exp`, which held only
    # while the 8 mutations missed every digit: the rows' CPU times moved them onto one)
    fails = run_cases(base, "b.json", file_mutations(base / "b.json", 8), load, lambda x: x,
                      expected, lambda got, exp: exp is None or len(got) == len(exp),
                      tmp_path)
    for name, _, apply in json_mutations(tmp_path / "row.json", 9, 60):
        apply(tmp_path / "row.json")  # (an edit: any table is accepted, a crash is not)
        (base / "b.json").write_text(json.dumps({"rows": [
            json.loads((tmp_path / "row.json").read_text())]}))
        line = check_case(f"row {name}", True, lambda: load(base), lambda x: x, expected,
                          lambda got, exp: True)
        fails += [line] if line else []
    assert not fails, "\n".join(fails)
