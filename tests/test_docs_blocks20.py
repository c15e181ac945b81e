"""The docs' code and claims as a user meets them (the docs audit of session 20): the doc
blocks no other test ran as written (docs/bptt.md's API block, docs/panels.md's one-series
backtest, README's language-model block), no path of the development machine in the docs,
and the error kinds README names."""

import re
from pathlib import Path

import numpy as np
import pytest

from test_docs_snippets import python_blocks

ROOT = Path(__file__).resolve().parents[1]


def _flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


def test_bptt_api_block_runs_as_written_and_its_comment_names_the_gradients():
    [code] = [c for h, c in python_blocks("docs/bptt.md") if h == "## 9. API in brief"]
    ns: dict = {}
    exec(code, ns)
    named = code.split("# grads:")[1].split("\n")[0].replace(",", " ").split()
    assert sorted(ns["grads"]) == sorted(named)
    assert ns["hs"].shape == (10, 4, 8)  # (T, B, H)
    params = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")  # clipped; x, h0, c0 are not
    total = np.sqrt(sum(float(np.sum(ns["grads"][k] ** 2)) for k in params))
    assert ns["norm"] > 1.0 and total == pytest.approx(1.0, rel=1e-5)  # max_norm


@pytest.mark.slow
def test_panels_page_one_series_backtest_block_runs_as_written(tmp_path, monkeypatch):
    # run by no test: its comments name the forecasts' columns and the models compared
    import rnnlab.forecast
    from rnnlab.forecast import Forecaster

    class Quick(Forecaster):  # the block's settings, trained for 5 epochs
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs if "config" in kwargs else {**kwargs, "epochs": 5})

    monkeypatch.setattr(rnnlab.forecast, "Forecaster", Quick)
    [code] = [c for h, c in python_blocks("docs/panels.md") if "Forecaster.backtest" in h]
    ns: dict = {}
    exec(code, ns)
    cols = list(ns["res"].forecasts.columns)
    named = code.split("res.forecasts")[1].split("#")[1].split("\n")[0]
    named = re.sub(r"\([^)]*\)", "", named).replace(",", " ").split()
    assert cols[:len(named) - 1] == named[:-1] and named[-1] == "q..."
    assert any(c.startswith("q") for c in cols[len(named) - 1:])
    assert set(ns["res"].summary()["model"]) == {"model", "naive", "seasonal_naive", "ets"}


def test_doc_commands_name_no_file_outside_what_a_user_has():
    # docs/panels.md's backtest read ../shared/data/panels/us_employment.csv, a folder of
    # the development checkout that a clone or a pip install does not have, and README and
    # panels.md ran the peers' benchmark with /work/peers-venv/bin/python
    for doc in ("README.md", "docs/panels.md", "docs/articles.md", "docs/bptt.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        for code in re.findall(r"^ *```\w*\n(.*?)^ *```|`([^`\n]+)`", text, flags=re.M | re.S):
            code = "".join(code)
            assert "../shared" not in code and "/work/" not in code, (doc, code[:200])


@pytest.mark.slow
def test_readme_language_model_block_runs_as_written(monkeypatch, capsys):
    # only compiled by the docs test: its fit(..., minutes=5), bits_per_char and generate
    # calls were run by none; here the block's model is 16 units for a moment of training
    import math

    import rnnlab.lm
    from rnnlab.lm import CharLM
    from test_docs_snippets import readme_block

    class Quick(CharLM):
        def __init__(self, **kwargs):
            super().__init__(**{**kwargs, "hidden_size": 16})

        def fit(self, text, *args, **kwargs):
            assert kwargs.get("minutes") == 5  # the block's budget, then a shorter one
            return super().fit(text, *args, **{**kwargs, "minutes": 0.01, "progress": False})

    monkeypatch.setattr(rnnlab.lm, "CharLM", Quick)
    ns: dict = {}
    exec(readme_block("## Character-level language models"), ns)
    bits, text = capsys.readouterr().out.split(" ", 1)
    assert 0 < float(bits) < math.log2(len(ns["lm"].vocab)) + 1
    assert text.startswith("The ") and len(text[:-1]) == 4 + 200  # (print adds the "\n")


def test_the_error_kinds_readme_names_are_what_its_examples_raise():
    # README said every failure rnnlab raises on purpose is a RnnlabError while a config's or
    # an argument's bad value was a plain ValueError (about 300 raise sites); now it is one
    import rnnlab
    import rnnlab.io
    from rnnlab.io.errors import RunDirError
    from rnnlab.lm import CharLM
    from rnnlab.train import TrainConfig
    from rnnlab.train.stops import TrainingDiverged, TrainingInterrupted

    doc = _flat("README.md")
    assert "`TrainConfig(epochs=0)`, `CharLM(hidden_size=0)`" in doc
    assert "and is a `rnnlab.RnnlabError`" in doc
    configs = (lambda: TrainConfig(epochs=0), lambda: CharLM(hidden_size=0),
               lambda: rnnlab.build_model("lstm", input_size=1, hidden_size=8, depth=3))
    for make in configs:
        with pytest.raises(rnnlab.ConfigError) as e:
            make()
        assert isinstance(e.value, ValueError)
    with pytest.raises(rnnlab.ConfigTypeError):
        rnnlab.Forecaster(bad=1)
    with pytest.raises(rnnlab.DataError):
        rnnlab.Forecaster(horizon=0)
    for kind in (rnnlab.DataError, rnnlab.NotFittedError, rnnlab.ShapeError, rnnlab.MismatchError,
                 rnnlab.ConfigError, rnnlab.io.CheckpointError, rnnlab.io.OptionError):
        assert issubclass(kind, rnnlab.RnnlabError) and issubclass(kind, ValueError), kind
    # "all of them but ConfigTypeError, UnsupportedError, RunDirError and the stops"
    for kind in (rnnlab.ConfigTypeError, rnnlab.UnsupportedError, RunDirError, TrainingDiverged,
                 TrainingInterrupted):
        assert issubclass(kind, rnnlab.RnnlabError) and not issubclass(kind, ValueError), kind
    assert issubclass(rnnlab.ConfigTypeError, TypeError)
    assert issubclass(rnnlab.UnsupportedError, RuntimeError)
