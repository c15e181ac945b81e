"""PeriodSizesNote (rnnlab.forecast.period_defaults.note_api_sizes) names the sizes the fit
keeps and those that give the command's run, a test size of 0 included."""

import warnings

import pytest

from rnnlab.forecast.config import ForecastConfig
from rnnlab.forecast.period_defaults import PeriodSizesNote, note_api_sizes


def _said(cfg) -> str:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        note_api_sizes(cfg, 7, 400, "daily")
    notes = [str(x.message) for x in w if x.category is PeriodSizesNote]
    assert len(notes) == 1
    return notes[0]


def test_a_test_size_of_0_is_named_as_0_not_as_the_horizon():
    """test_size=0 (trained on the whole series; `--test-size 0` keeps it) was said and
    suggested as test_size=12, the horizon."""
    note = _said(ForecastConfig(test_size=0))
    assert "uses lookback=12, test_size=0 " in note
    assert "pass lookback=14, test_size=0 for" in note


@pytest.mark.parametrize("given, kept, cli", [(None, "test_size=12", "test_size=14"),
                                              (0.25, "test_size=0.25", "test_size=0.25")])
def test_the_default_and_a_fraction_are_named_as_the_fit_takes_them(given, kept, cli):
    note = _said(ForecastConfig(test_size=given))
    assert f"uses lookback=12, {kept} " in note and f"pass lookback=14, {cli} for" in note
