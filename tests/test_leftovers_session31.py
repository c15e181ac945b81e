"""Leftovers mended in session 31: ``read_panel(date_column=False)`` refused for what was
asked (not "no date column" beside a ``ds`` column); the key columns' refusals naming
columns as the frame has them (an int name as 5, not '5'); the one-series dates hint of
``Forecaster.predict(fh=<dates>)``; a failing property getter's own error shown; the
"training: ended" line (wrapped, then one line again: see its test)."""

from __future__ import annotations

import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def _long(n=6):
    return pd.DataFrame({"unique_id": ["a"] * n + ["b"] * n,
                         "ds": list(pd.date_range("2020-01-01", periods=n, freq="D")) * 2,
                         "y": [float(i) for i in range(2 * n)]})


def test_read_panel_date_column_false_says_what_was_asked():
    # before: "no date column: expected 'ds' or date_column=NAME", beside a 'ds' column
    from rnnlab.panel import read_panel

    with pytest.raises(DataError) as err:
        read_panel(_long(), date_column=False)
    text = str(err.value)
    assert "no date column: expected" not in text
    assert "date_column=False" in text  # what was asked
    assert "'ds'" in text and "leave date_column out" in text  # the column there; what to do
    assert "integer time steps" in text  # a panel without dates


def test_read_panel_date_column_false_without_ds_says_what_to_do():
    from rnnlab.panel import read_panel

    df = _long().rename(columns={"ds": "when"})
    with pytest.raises(DataError) as err:
        read_panel(df, date_column=False)
    text = str(err.value)
    assert "date_column=False" in text and "date_column=NAME" in text
    assert "columns are ['unique_id', 'when', 'y']" in text
    assert read_panel(df).ids == ("a", "b")  # without it: found by its values


def _keyed():
    df = pd.DataFrame({"State": ["NSW"] * 4 + ["VIC"] * 4,
                       "ds": list(pd.date_range("2020-01-01", periods=4, freq="D")) * 2,
                       "y": [float(i) for i in range(8)]})
    df[5] = 1.0  # a column named by an int, as pandas allows
    return df


def test_key_columns_refusal_names_columns_as_the_frame_has_them():
    # before: "columns are ['State', 'ds', 'y', '5']": the int column 5 shown as text
    from rnnlab.panel import read_panel
    from rnnlab.panel.key_columns import join_keys

    with pytest.raises(DataError) as err:
        join_keys(_keyed(), ["State", "Zone"])
    assert "key columns ['Zone'] not found" in str(err.value)
    assert "columns are ['State', 'ds', 'y', 5]" in str(err.value)
    with pytest.raises(DataError, match=r"columns are \['State', 'ds', 'y', 5\]"):
        read_panel(_keyed(), id_column=["State", "Zone"])
    with pytest.raises(DataError, match=r"key columns \[7\] not found"):
        join_keys(_keyed(), ["State", 7])  # (a name given as an int: shown as one)


def _fh_refusal(fh) -> str:
    from rnnlab.forecast import Forecaster

    with pytest.raises(TypeError) as err:
        Forecaster().predict(fh=fh)
    return str(err.value)


def test_forecaster_predict_fh_dates_hint_speaks_of_one_series():
    # before: "forecasts each series' n dates after its last one (its 'ds' column dates
    # them); ... fc[fc['ds'] <= date]": a panel's words; a Forecaster's forecast is one
    # series indexed by its dates
    text = _fh_refusal(pd.date_range("2020-01-01", periods=3, freq="MS"))
    assert "'ds'" not in text and "each series" not in text
    assert "the series' last date" in text and "fc[fc.index <= date]" in text
    assert "predict(n)" in text


def test_forecaster_predict_fh_steps_hint_speaks_of_one_series():
    text = _fh_refusal([1, 2, 3])
    assert "fh=[1, 2, 3] is predict(3)" in text and "'step' column" not in text
    text = _fh_refusal([1, 3])
    assert "fc.iloc[[0, 2]]" in text and "'step'" not in text


def test_panel_fh_hints_keep_the_panel_words():
    from rnnlab.panel.peer_sktime import fh_hint

    assert "its 'ds' column" in fh_hint(pd.date_range("2020-01-01", periods=3, freq="MS"))
    assert "fc[fc['step'].isin([1, 3])]" in fh_hint([1, 3])


def test_forecaster_horizon_given_as_a_date_speaks_of_one_series():
    from rnnlab.panel.call_args import horizon_steps

    with pytest.raises(DataError) as err:
        horizon_steps(pd.Timestamp("2020-01-01"), one_series=True)
    assert "'ds'" not in str(err.value) and "fc[fc.index <= date]" in str(err.value)


def _failing(base):
    class Mine(base):
        @property
        def fitted_length(self):
            return len(self._no_such_state)

    return Mine


@pytest.mark.parametrize("base", ["Forecaster", "SeasonalNaive", "ETS", "Croston"])
def test_a_failing_property_getter_shows_its_own_error(base):
    # (its own AttributeError, not one naming the property as missing; the getter runs
    # twice, as __getattr__ looks it up again: see test_rev_small31's reason)
    import rnnlab.forecast
    import rnnlab.panel

    owner = getattr(rnnlab.forecast, base, None) or getattr(rnnlab.panel, base)
    Mine = _failing(owner)
    with pytest.raises(AttributeError, match="_no_such_state"):
        Mine().fitted_length
    with pytest.raises(AttributeError, match="fit"):  # (a peer's method: the hint, as before)
        Mine().fit_predict


def test_the_ended_progress_line_is_one_line_for_grep():
    # (wrapped at 80 columns in session 31, reverted in its review: these lines go to logs,
    # never to a terminal, and `grep 'training: ended' log` lost the items wrapped below)
    import io

    from rnnlab.train import progress as P

    class Clock:
        t = 0.0

        def __call__(self):
            return self.t

    clock, out = Clock(), io.StringIO()
    bar = P.ProgressLines(14400, 30, out, clock, every=1e9)
    for epoch in range(1, 31):
        clock.t += 2.2
        bar.update(480)
        bar.set_postfix(epoch=epoch, loss="0.01234", val=f"{0.02 - epoch / 3000:.4g}")
    bar.close()
    assert out.getvalue() == ("training: ended: step 14400/14400, epoch 30/30, 1m06s elapsed, "
                              "loss 0.01234, best val 0.01 (epoch 30)\n")


def test_a_short_ended_line_and_the_lines_while_training_stay_one_line():
    import io

    from rnnlab.train import progress as P

    out = io.StringIO()
    bar = P.ProgressLines(8, 2, out, lambda: 0.0)
    bar.update(8)
    bar.set_postfix(epoch=2, loss="0.5")
    bar.close()
    assert out.getvalue() == "training: ended: step 8/8, epoch 2/2, 0s elapsed, loss 0.5\n"


def test_shown_names_gives_numpy_numbers_as_python_ones():
    import numpy as np

    from rnnlab.listing import shown_names

    assert shown_names(["State", np.int64(5), 7, np.float64(2.5)]) == "['State', 5, 7, 2.5]"
