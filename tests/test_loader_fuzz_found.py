"""The cases the loader fuzz (tests/test_loader_fuzz*.py) found, kept one by one: each
was a bare TypeError/KeyError/OverflowError/RuntimeError from inside, a read without end,
or a file loaded to other behaviour; each is now an RnnlabError naming the file."""

from __future__ import annotations

import hashlib
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from fuzz_files import (header_of, saved_tiny_forecaster, set_at, time_limit, with_header,
                        write_json)
from rnnlab.io.errors import CheckpointError, DataError


def _edit_json(path: Path, change) -> None:
    doc = json.loads(path.read_bytes())
    change(doc)
    write_json(path, doc, True)  # (checksum recorded again: an edit, not damage)


@pytest.fixture(scope="module")
def forecaster(tmp_path_factory):
    return saved_tiny_forecaster(tmp_path_factory.mktemp("found"))[0]


@pytest.fixture
def saved(forecaster, tmp_path):
    import shutil

    shutil.copytree(forecaster, tmp_path / "m")
    return tmp_path / "m"


def _load(path):
    from rnnlab.forecast import Forecaster

    with time_limit(20):
        return Forecaster.load(path)


@pytest.mark.parametrize("kind", [{}, []])
def test_model_json_kind_of_another_type_is_refused(saved, kind):
    """'kind': {} was TypeError: unhashable type (looking up the loader to name)."""
    _edit_json(saved / "model.json", lambda d: d.update(kind=kind))
    with pytest.raises(CheckpointError, match="'kind' should be a string"):
        _load(saved)


def test_forecaster_choice_not_an_object_is_refused(saved):
    """'choice': [] was read as no choice (the network's forecasts for a weighted model)."""
    _edit_json(saved / "model.json", lambda d: d["extra"].update(choice=[]))
    with pytest.raises(CheckpointError, match="'choice' should be an object, found list"):
        _load(saved)


@pytest.mark.parametrize("edit", ["null", "absent"])
def test_forecaster_choice_lost_from_a_file_that_records_select_is_refused(saved, edit):
    """'choice': null (the loader fuzz, seed 42) was read as a model saved before there was a
    choice: the network's forecasts, for a model whose config records select= (so its
    rnnlab recorded the choice) and had chosen linear_ar0. A file without select= (older)
    still reads null as the network (tests/test_older_saves.py)."""
    def lose(d):
        if edit == "null":
            d["extra"]["choice"] = None
        else:
            del d["extra"]["choice"]
    _edit_json(saved / "model.json", lose)
    with pytest.raises(CheckpointError, match="'choice' is missing, and the rnnlab that saved"):
        _load(saved)


def test_forecaster_n_train_infinite_is_refused(saved):
    """'n_train': Infinity was OverflowError: cannot convert float infinity to integer."""
    _edit_json(saved / "model.json", lambda d: d["extra"].update(n_train=math.inf))
    with pytest.raises(CheckpointError, match="OverflowError"):
        _load(saved)


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_nonfinite_weights_with_their_hash_are_refused(saved, value):
    """NaN/inf written into a weight, the hash recorded again: the model loaded and
    forecast NaN (or another model's numbers)."""
    from rnnlab.io.weights import load_weights, save_weights

    w = saved / "model.safetensors"
    ts = load_weights(w)
    name = sorted(k for k in ts if ts[k].is_floating_point())[0]
    ts[name].view(-1)[0] = value
    sha = save_weights(w, ts)
    _edit_json(saved / "model.json", lambda d: d.update(weights_sha256=sha))
    with pytest.raises(CheckpointError, match=f"weights \\['{name}'\\] hold NaN or infinite"):
        _load(saved)


def test_forecaster_hidden_size_huge_is_refused_without_memory(saved):
    _edit_json(saved / "model.json", lambda d: d["config"].update(hidden_size=10 ** 9))
    with pytest.raises(CheckpointError, match="model.json"):
        _load(saved)


# ---------------------------------------------------------------------------- panels, LM
def _panel_model(tmp_path, local: bool):
    import pandas as pd

    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    rng = np.random.default_rng(0)
    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": pd.date_range("2000-01-01",
                                                                             periods=30),
                                  "y": 10 + i + rng.standard_normal(30)}) for i in range(2)])
    torch.manual_seed(0)
    GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, hidden_size=3, ensemble=1,
                     local=local).fit(read_panel(df)).save(tmp_path / "p")
    return tmp_path / "p", GlobalForecaster.load


@pytest.mark.parametrize("local", [False, True])
def test_panel_hidden_size_huge_is_refused_without_memory(tmp_path, local):
    """A local model's series config edited to hidden_size 10**9 was built before any
    check: RuntimeError, the allocator asked for 24 GB (a global model's was checked)."""
    path, load = _panel_model(tmp_path, local)

    def change(d):
        for c in [d["config"]] + [e["config"] for e in d["extra"].get("local") or []]:
            c["hidden_size"] = 10 ** 9
    _edit_json(path / "model.json", change)
    with pytest.raises(CheckpointError, match="model.json"), time_limit(20):
        load(path)


def test_panel_n_features_not_positive_is_refused(tmp_path):
    """'n_features': -1 was ValueError: input_size must be greater than zero (torch)."""
    path, load = _panel_model(tmp_path, False)
    _edit_json(path / "model.json", lambda d: d["extra"].update(n_features=-1))
    with pytest.raises(CheckpointError, match="n_features"):
        load(path)


def test_charlm_train_config_not_an_object_is_refused(tmp_path):
    """'train_config': true was TypeError: 'bool' object is not iterable."""
    from rnnlab.lm import CharLM

    CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4, dropout=0.0).fit(
        "the quick brown fox. " * 30, seq_len=8, batch_size=4, epochs=1,
        progress=False).save(tmp_path / "lm")
    _edit_json(tmp_path / "lm" / "model.json", lambda d: d["extra"].update(train_config=True))
    with pytest.raises(CheckpointError, match="expected an object of LMTrainConfig"):
        CharLM.load(tmp_path / "lm")


# ---------------------------------------------------------------------------- corpus
@pytest.mark.parametrize("field, value", [("val_fraction", "delete"), ("val_fraction", None),
                                          ("val_fraction", {}), ("val_fraction", math.nan),
                                          ("val_fraction", 1.5), ("val_fraction", False),
                                          ("train_tokens", True)])
def test_corpus_json_damaged_is_refused(tmp_path, field, value):
    """corpus.json's val_fraction missing/null/an object was KeyError/TypeError; NaN, 1.5
    or false loaded; train_tokens true loaded as 1 training token."""
    from rnnlab.data.corpus_mmap import load_prepared, prepare_corpus

    (tmp_path / "t.txt").write_text("abc def " * 50)
    prepare_corpus(tmp_path / "t.txt", tmp_path / "c")
    _edit_json(tmp_path / "c" / "corpus.json", lambda d: d.pop(field) if
               value == "delete" else d.update({field: value}))
    with pytest.raises(DataError, match="not a prepared corpus"):
        load_prepared(tmp_path / "c")


# ---------------------------------------------------------------------------- checkpoints
@pytest.mark.parametrize("tree, match", [("9" * 5000, "damaged"), ('"text"', "holds str"),
                                         ("1e999999", "holds float")])
def test_train_state_not_an_object_is_refused(tmp_path, tree, match):
    """A training state's tree rewritten (hash recorded again): an integer of 5000 digits
    was ValueError (Python's digit limit); text or a number loaded as the training state
    (a TypeError when the resume read it)."""
    from rnnlab.train.checkpoint import CheckpointManager

    mgr = CheckpointManager(tmp_path / "ck")
    folder = mgr.save(1, {"w": torch.ones(2)}, {"epoch": 1}, {})
    ts = folder / "train_state.safetensors"
    header, body = header_of(ts)
    header["__metadata__"]["tree"] = tree
    ts.write_bytes(with_header(header, body))
    _edit_json(folder / "meta.json", lambda d: d["files"].update(
        {ts.name: hashlib.sha256(ts.read_bytes()).hexdigest()}))
    with pytest.raises(CheckpointError, match=match):
        mgr.load()


# ---------------------------------------------------------------------------- bench
def test_bench_results_link_to_dev_zero_is_refused_unread(tmp_path):
    """load_results read a link to /dev/zero until memory ran out (Path.read_text)."""
    from rnnlab.bench.record import load_results

    os.symlink("/dev/zero", tmp_path / "b.json")
    with pytest.raises(DataError, match="device, pipe or socket"), time_limit(10):
        load_results(tmp_path / "b.json")
    (tmp_path / "d.json").mkdir()
    with pytest.raises(ValueError, match="is a folder"):  # (DataError: still a ValueError)
        load_results(tmp_path / "d.json")


@pytest.mark.parametrize("field", ["fwd_ms", "fwd_bwd_min_ms", "steps_per_s"])
def test_bench_row_without_a_timing_is_shown(tmp_path, field):
    """A timed row read back with one of its timings null: TypeError in format_row."""
    from rnnlab.bench.cli import format_row
    from rnnlab.bench.record import load_results
    from rnnlab.bench.suite import Result

    row = Result(config="tiny", model="lstm", path="torch", layers=1, dtype="float32",
                 device="cpu", fwd_ms=1.0, fwd_bwd_ms=2.0, steps_per_s=10.0, anchor="torch",
                 ratio=None, fwd_bwd_min_ms=1.9).as_dict()
    (tmp_path / "b.json").write_text(json.dumps({"rows": [dict(row, **{field: None})]}))
    line = format_row(load_results(tmp_path / "b.json")[1][0])
    assert "| 2.0 |" in line and "| - |" in line


# ---------------------------------------------------------------------------- messages
def test_a_link_to_a_device_is_named_as_such(tmp_path):
    """A link to /dev/zero where a weights file or a CSV belongs was called "a directory"
    and "empty"."""
    from rnnlab.data.series import load_series
    from rnnlab.io.weights import load_weights

    os.symlink("/dev/zero", tmp_path / "model.safetensors")
    with pytest.raises(CheckpointError, match="found a device, pipe or socket"):
        load_weights(tmp_path / "model.safetensors")
    os.symlink("/dev/zero", tmp_path / "d.csv")
    with pytest.raises(DataError, match="not a regular file"), time_limit(10):
        load_series(tmp_path / "d.csv")


@pytest.mark.parametrize("field, value", [("values", None), ("values", True)])
def test_forecaster_series_values_not_a_list_is_refused(saved, field, value):
    """'values': null was TypeError: len() of unsized object (np.asarray made it 0-d)."""
    _edit_json(saved / "model.json", lambda d: d["extra"]["series"].update({field: value}))
    with pytest.raises(CheckpointError, match="'values' should be a list"):
        _load(saved)


@pytest.mark.parametrize("field", ["mean", "std"])
def test_scaler_value_true_is_refused(saved, field):
    """'std': true was read as 1.0 (float(True)): the model forecast other numbers."""
    _edit_json(saved / "model.json",
               lambda d: d["extra"]["pipeline"]["scaler"].update({field: True}))
    with pytest.raises(CheckpointError, match="True is not a number"):
        _load(saved)


@pytest.mark.parametrize("path, value", [
    (("features", "values"), None),  # AttributeError at load
    (("features", "codes"), True),  # AttributeError at load
    (("features", "calendar"), "x"),  # KeyError 'x' at predict
    (("features", "lag"), True),  # a numpy shape error at predict
    (("features", "lookback"), True),  # read as 1: other forecasts
    (("features", "values", "s0"), "delete"),  # KeyError 's0' at predict
    (("features", "transforms", "s0", "scale"), True),  # read as 1.0: other forecasts
    (("tail", "y"), True),  # other forecasts
    (("n_features",), math.inf)])  # OverflowError
def test_panel_features_of_another_kind_are_refused(tmp_path, path, value):
    path_, load = _panel_model(tmp_path, False)
    _edit_json(path_ / "model.json", lambda d: set_at(d["extra"], path, value))
    with pytest.raises(CheckpointError, match="incomplete or malformed"):
        load(path_).predict()


@pytest.mark.parametrize("codes", [[3], [-1]])
def test_panel_static_codes_outside_the_categories_are_refused(tmp_path, codes):
    """A series' static category code edited past its categories (2 here) or below 0,
    the hash recorded again, loaded and failed at the first predict with IndexError:
    index out of range in self (the embedding)."""
    import pandas as pd

    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    df = pd.concat([pd.DataFrame({"unique_id": f"s{i}", "kind": "ab"[i], "y": 10.0 + i,
                                  "ds": pd.date_range("2000-01-01", periods=30)})
                    for i in range(2)])
    torch.manual_seed(0)
    GlobalForecaster("gru", lookback=4, horizon=2, epochs=1, hidden_size=3, ensemble=1,
                     static_covariates=("kind",)).fit(read_panel(df)).save(tmp_path / "p")
    _edit_json(tmp_path / "p" / "model.json",
               lambda d: d["extra"]["features"]["codes"].update(s0=codes))
    with pytest.raises(CheckpointError, match=rf"features.codes.s0 holds {codes[0]}, not a "
                                              r"category code 0..2"):
        GlobalForecaster.load(tmp_path / "p").predict()
