"""Session 29: the checks ``rnnlab forecast`` runs before it makes the run folder
(:func:`check_series_fits`) and those of ``Forecaster.fit`` are one definition
(:func:`plan_series_fit`): two copies of the same lines drift apart. Each refusal is the
same on both routes, its type and its message; the warnings of the checks, now said one
frame deeper, still name the line that called ``fit``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from rnnlab.data.datasets import resolve_data
from rnnlab.data.series import Series
from rnnlab.forecast import Forecaster
from rnnlab.forecast.series_checks import check_series_fits

QUICK = dict(hidden_size=4, epochs=1, ensemble=1, progress=False, seed=0)


def _airline():
    return resolve_data("airline")


def _constant():
    return Series(np.full(60, 3.0), name="flat")


def _flat_training_part():
    return Series(np.r_[np.full(48, 3.0), np.arange(12.0)], name="flat-then-up")


def _no_dates():
    return Series(np.sin(np.arange(80.0)) + 5.0, name="plain")


REFUSALS = {  # name: (series, Forecaster options)
    "too short for the look-back": (_airline, dict(lookback=200)),
    "too short for the horizon": (_airline, dict(horizon=200)),
    "test part too long": (_airline, dict(test_size=150)),
    "validation tail too long": (_airline, dict(val_size=130)),
    "constant series": (_constant, dict(lookback=4, horizon=2)),
    "constant training part": (_flat_training_part, dict(lookback=4, horizon=2, test_size=12)),
    "period longer than the training part": (_airline, dict(period=140)),
    "seasonal naive without a period": (_no_dates, dict(lookback=4, horizon=2,
                                                        select="seasonal_naive")),
    "holidays without dates": (_no_dates, dict(lookback=4, horizon=2,
                                               calendar=("holiday",), country="US")),
}


def _refusal(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except Exception as e:  # (any type: the two routes must raise the same one)
            return type(e), str(e)
    return None


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_the_check_before_the_folder_refuses_as_fit_does(case):
    make, options = REFUSALS[case]
    forecaster = Forecaster(**QUICK, **options)
    early = _refusal(lambda: check_series_fits(make(), forecaster.config))
    fitted = _refusal(lambda: forecaster.fit(make()))
    assert fitted is not None, f"{case}: fit trained"
    assert early == fitted  # same type, same message


def test_a_series_that_fits_passes_the_early_check():
    check_series_fits(_airline(), Forecaster(**QUICK).config)  # (no error)


def test_the_checks_warnings_name_the_line_that_called_fit():
    """The period left out (a season longer than the part before the validation tail),
    the note on sizes ``rnnlab forecast`` rounds and a country no holiday reads: said from within the shared
    checks, attributed to this file (their stack levels count its frame)."""
    from rnnlab.forecast.period_defaults import PeriodSizesNote
    from rnnlab.panel.covariate_checks import UnreadCountryWarning

    series = resolve_data("airline")
    short = Series(series.values[:20], index=series.index[:20], name="short",
                   freq=series.freq)
    said = []
    for data, options in ((short, dict(lookback=3, horizon=2, val_size=8, test_size=2)),
                          (series, dict(horizon=5, country="US"))):
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            Forecaster(**QUICK, **options).fit(data)
        said += [w for w in got if "seasonal period of" in str(w.message)
                 or w.category in (PeriodSizesNote, UnreadCountryWarning)]
    assert {w.category for w in said} == {UserWarning, PeriodSizesNote, UnreadCountryWarning}, said
    assert {w.filename for w in said} == {__file__}
