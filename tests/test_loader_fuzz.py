"""Fuzzing rnnlab's loaders (seeded): each takes a small file rnnlab wrote, mutated
(:mod:`fuzz_files`: truncations, bit flips, an empty file, bytes not UTF-8, a folder or a
link where a file belongs, JSON fields removed or of another type, absurd sizes, NaN/inf
weights, tensors of another shape or dtype), and must refuse it with an RnnlabError or
load it to a model that behaves as before; never a bare KeyError/TypeError/ValueError from
inside, a hang or an allocation of the size a header claims. torch.load is never called
with weights_only=False."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from fuzz_files import (file_mutations, header_of, json_mutations, run_cases,
                        saved_tiny_forecaster, with_header, write_json)
from rnnlab.io.json_file import CHECKSUM_KEY

SRC = Path(__file__).resolve().parents[1] / "src" / "rnnlab"


def same_array(got, expected) -> bool:
    got = np.asarray(got, dtype=np.float64)
    return bool(np.isfinite(got).all()) if expected is None else \
        got.shape == expected.shape and bool(np.array_equal(got, expected))


def weight_mutations(json_rel: str, sha_keys: tuple, checked: bool = True):
    """Tensors changed in ways a hash cannot catch (the hash recorded again in the JSON
    file ``json_rel`` at ``sha_keys``): NaN and inf values, another shape, another dtype,
    and a header claiming 10**12 elements for the first tensor."""
    import hashlib

    from rnnlab.io.weights import load_weights, save_weights

    def rewrite(change):
        def apply(p: Path) -> None:
            data = change(p)
            if data is None:
                return
            p.write_bytes(data)
            doc_path = p.parent / json_rel
            doc = json.loads(doc_path.read_bytes())
            where = doc
            for k in sha_keys[:-1]:
                where = where[k]
            where[sha_keys[-1]] = hashlib.sha256(data).hexdigest()
            write_json(doc_path, doc, checked and CHECKSUM_KEY in doc)
        return apply

    def tensors_changed(fn):
        def change(p: Path):
            ts = load_weights(p)
            name = next(k for k, v in ts.items() if v.is_floating_point() and v.numel())
            ts[name] = fn(ts[name])
            tmp = p.with_name("fuzz.tmp")
            save_weights(tmp, ts)
            data = tmp.read_bytes()
            tmp.unlink()
            return data
        return change

    def set_first(value):
        def fn(t):
            t = t.clone()
            t.view(-1)[0] = value
            return t
        return fn

    def huge(p: Path):
        header, body = header_of(p)
        name = next(k for k in header if k != "__metadata__")
        header[name]["shape"] = [10 ** 6, 10 ** 6]
        return with_header(header, body)

    return [("weights-nan", False, rewrite(tensors_changed(set_first(float("nan"))))),
            ("weights-inf", False, rewrite(tensors_changed(set_first(float("inf"))))),
            ("weights-shape", False, rewrite(tensors_changed(lambda t: torch.cat([t, t])))),
            ("weights-float64", False, rewrite(tensors_changed(lambda t: t.double()))),
            ("weights-int32", False, rewrite(tensors_changed(lambda t: t.to(torch.int32)))),
            ("weights-huge-header", False, rewrite(huge))]


# ---------------------------------------------------------------------------- forecaster
@pytest.fixture(scope="module")
def saved_forecaster(tmp_path_factory):
    return saved_tiny_forecaster(tmp_path_factory.mktemp("fz"))


def _forecaster_cases(path, tmp_path, mutations, rel):
    from rnnlab.forecast import Forecaster

    base, expected = path
    return run_cases(base, rel, mutations, Forecaster.load,
                     lambda f: f.predict(3).to_numpy(), expected, same_array, tmp_path)


def test_forecaster_files_damaged(saved_forecaster, tmp_path):
    base = saved_forecaster[0]
    fails = []
    for rel in ("model.json", "model.safetensors"):
        fails += _forecaster_cases(saved_forecaster, tmp_path, file_mutations(base / rel, 1), rel)
    assert not fails, "\n".join(fails)


# edits of the right type (checksum recorded again) that load and forecast inf: a scaler's
# mean or std made 10**9 under a log transform (exp overflows). Left alone: the file is
# as sound as one rnnlab writes, and refusing them would need the fit redone on load.
LEFT_ALONE = {"huge:extra.pipeline.scaler.mean", "huge:extra.pipeline.scaler.std"}


def test_forecaster_json_fields(saved_forecaster, tmp_path):
    muts = [m for m in json_mutations(saved_forecaster[0] / "model.json", seed=2, limit=260,
                                      depth=4) if m[0] not in LEFT_ALONE]
    fails = _forecaster_cases(saved_forecaster, tmp_path, muts, "model.json")
    assert not fails, "\n".join(fails)


def test_forecaster_weights_rewritten(saved_forecaster, tmp_path):
    muts = weight_mutations("model.json", ("weights_sha256",))
    fails = _forecaster_cases(saved_forecaster, tmp_path, muts, "model.safetensors")
    assert not fails, "\n".join(fails)


# ---------------------------------------------------------------------------- torch.load
def _torch_loads():
    """Every call of ``torch.load`` (or ``torch.serialization.load``) in the package, as
    (file, line, its weights_only argument's node or None)."""
    calls = []
    for p in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "load" and ast.unparse(node.func.value) in (
                        "torch", "torch.serialization"):
                wo = next((k.value for k in node.keywords if k.arg == "weights_only"), None)
                calls.append((p.name, node.lineno, wo))
    return calls


def test_torch_load_is_weights_only_everywhere():
    calls = _torch_loads()
    assert calls, "the legacy train_state.pt reader calls torch.load"
    bad = [(f, n) for f, n, wo in calls
           if not (isinstance(wo, ast.Constant) and wo.value is True)]
    assert not bad, f"torch.load without weights_only=True: {bad}"


def test_legacy_train_state_pickle_runs_nothing(tmp_path, monkeypatch):
    """A train_state.pt (an older rnnlab's) holding a pickle that would run code, its hash
    recorded: refused, the code not run, and torch.load called weights-only."""
    import hashlib
    import os
    import pickle

    from rnnlab.io.errors import CheckpointError
    from rnnlab.train.checkpoint import CheckpointManager

    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    mgr = CheckpointManager(tmp_path / "ck")
    folder = mgr.save(1, {"w": torch.ones(2)}, {"epoch": 1}, {})
    (folder / "train_state.safetensors").unlink()
    (folder / "train_state.pt").write_bytes(pickle.dumps({"x": Payload()}, protocol=2))
    doc = json.loads((folder / "meta.json").read_bytes())
    doc["files"] = {"model.safetensors": doc["files"]["model.safetensors"], "train_state.pt":
                    hashlib.sha256((folder / "train_state.pt").read_bytes()).hexdigest()}
    write_json(folder / "meta.json", doc, True)
    seen, real = [], torch.load

    def spy(*a, **k):
        seen.append(k.get("weights_only"))
        return real(*a, **k)
    monkeypatch.setattr(torch, "load", spy)
    with pytest.raises(CheckpointError, match="never writes"):
        mgr.load()
    assert seen == [True] and not marker.exists()
