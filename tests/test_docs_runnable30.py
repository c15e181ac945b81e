"""The docs' examples run as written, and again (session 30): README's Forecasting block
re-run where it saved before, README's Panels block and docs/panels.md's "The model
protocol" blocks pasted as they stand, every name they use defined in them."""

import re
import textwrap
from pathlib import Path

import pytest
from test_docs_snippets import readme_block
from test_newcomer_user29d import _undefined_names

ROOT = Path(__file__).resolve().parents[1]


def _quick_forecaster(monkeypatch):
    """``from rnnlab.forecast import Forecaster`` gives a tiny network trained one epoch
    (the block's settings otherwise), so the block runs in seconds."""
    import rnnlab.forecast
    from rnnlab.forecast import Forecaster

    class Quick(Forecaster):
        def __init__(self, *args, **kwargs):
            if "config" not in kwargs:
                kwargs = {**kwargs, "epochs": 1, "hidden_size": 4, "ensemble": 1,
                          "progress": False}
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(rnnlab.forecast, "Forecaster", Quick)


def test_readme_forecasting_block_runs_again_where_it_saved_before(tmp_path, monkeypatch):
    # the second run stopped at f.save("airline-model"): a saved model is never replaced
    # unasked, and the block did not ask
    from rnnlab.forecast import Forecaster

    _quick_forecaster(monkeypatch)
    monkeypatch.chdir(tmp_path)
    code = readme_block("## Forecasting")
    exec(code, {})
    assert (tmp_path / "airline-model" / "model.json").is_file()
    ns: dict = {}
    exec(code, ns)  # pasted a second time, in the same folder: it runs to its end
    assert "newer" in ns  # (defined after the save)
    again = Forecaster.load(tmp_path / "airline-model")
    assert again.predict(12).equals(ns["f"].predict(12))


def test_a_save_without_overwrite_still_refuses_a_saved_model(tmp_path):
    # the block's overwrite=True is the user's word; save's default still keeps a model
    from rnnlab.forecast import Forecaster
    from rnnlab.io.errors import CheckpointError

    f = Forecaster(hidden_size=4, epochs=1, ensemble=1, progress=False, lookback=12,
                   horizon=12).fit("airline")
    f.save(tmp_path / "m")
    with pytest.raises(CheckpointError, match="pass overwrite=True"):
        f.save(tmp_path / "m")
