"""README's list of the Python readers that take ``encoding=`` names every panel call that
takes it: sweep28b gave ``GlobalForecaster.predict(history=path)`` and the baselines'
``fit`` / ``predict(history=path)`` an ``encoding=`` that the list left unsaid."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from rnnlab.panel import GlobalForecaster
from rnnlab.panel.baselines import ETS, Croston, Naive, SeasonalNaive

README = Path(__file__).resolve().parents[1] / "README.md"


def _encoding_paragraph() -> str:
    text = " ".join(README.read_text(encoding="utf-8").split())
    start = text.index("In Python the readers that take a file take `encoding=`")
    return text[start:text.index("converted and refused as `--encoding` is", start)]


@pytest.mark.parametrize("method", [GlobalForecaster.predict, Naive.fit, Naive.predict,
                                    SeasonalNaive.predict, ETS.fit, Croston.predict])
def test_each_panel_call_that_takes_encoding_is_in_the_readme_list(method):
    assert "encoding" in inspect.signature(method).parameters
    said = _encoding_paragraph()
    if method is GlobalForecaster.predict:
        gf = said[said.index("`GlobalForecaster().fit"):]
        assert "`.predict(history=path, encoding=...)`" in gf[:gf.index("backtest_models")]
    else:
        assert "baselines' `fit(path, encoding=...)`" in said
        assert "`predict(history=path, encoding=...)` (`rnnlab.panel.baselines`)" in said
