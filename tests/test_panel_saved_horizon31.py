"""A saved panel model whose model.json says another features.horizon (or lookback) than its
config is refused when loaded, naming the field: a horizon of 1e9 loaded and failed at the
first predict with pandas' OutOfBoundsDatetime (the loader fuzz found it)."""

import json

import numpy as np
import pandas as pd
import pytest
import torch

from fuzz_files import write_json
from rnnlab.io.errors import CheckpointError


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    from rnnlab.panel.frame import read_panel
    from rnnlab.panel.model import GlobalForecaster

    rng = np.random.default_rng(0)
    panel = read_panel(pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2000-01-01", periods=30),
        "y": 10 + i + rng.standard_normal(30)}) for i in range(2)], ignore_index=True))
    torch.manual_seed(0)
    f = GlobalForecaster("gru", lookback=6, horizon=3, epochs=1, hidden_size=4,
                         ensemble=1).fit(panel)
    path = tmp_path_factory.mktemp("saved31") / "base"
    f.save(path)
    return path


@pytest.mark.parametrize("field,value", [("horizon", 1_000_000_001), ("horizon", 4),
                                         ("lookback", 7)])
def test_features_other_than_the_config_are_refused(saved, tmp_path, field, value):
    import shutil

    from rnnlab.panel.model import GlobalForecaster

    edited = tmp_path / "edited"
    shutil.copytree(saved, edited)
    doc = json.loads((edited / "model.json").read_text(encoding="utf-8"))
    doc["extra"]["features"][field] = value
    write_json(edited / "model.json", doc, checked=True)  # (its checksum recorded again)
    with pytest.raises(CheckpointError, match=rf"features\.{field} is {value}, the model's "
                                              rf"{field} \d+: they are written equal"):
        GlobalForecaster.load(edited)


def test_the_saved_model_itself_loads(saved):
    from rnnlab.panel.model import GlobalForecaster

    assert len(GlobalForecaster.load(saved).predict()) == 2 * 3
