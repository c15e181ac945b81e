"""Review of session 31's small leftovers: the peers' method hints of ``Forecaster``, the
panel baselines and ``GlobalForecaster`` come from ``__getattr__`` (run only for names
not found), not from a ``__getattribute__`` run in Python on every attribute read, which
also skipped a mixin's own ``__getattribute__``."""

from __future__ import annotations

import copy
import pickle

import pytest


def _owner(base):
    import rnnlab.forecast
    import rnnlab.panel

    return getattr(rnnlab.forecast, base, None) or getattr(rnnlab.panel, base)


BASES = ["Forecaster", "SeasonalNaive", "ETS", "Croston"]


@pytest.mark.parametrize("base", BASES)
def test_attribute_reads_keep_pythons_own_lookup(base):
    # before: a __getattribute__ of Python code ran on every read (about 4x slower)
    owner = _owner(base)
    assert owner.__getattribute__ is object.__getattribute__
    assert "__getattr__" in {n for k in owner.__mro__ for n in vars(k)}  # (the hints' hook)


@pytest.mark.parametrize("base", BASES)
def test_a_mixins_own_getattribute_is_honoured(base):
    # before: object.__getattribute__ was called directly, past the mixin's
    class Magic:
        def __getattribute__(self, name):
            if name == "magic":
                return 42
            return super().__getattribute__(name)

    class Mine(_owner(base), Magic):
        pass

    assert Mine().magic == 42
    with pytest.raises(AttributeError, match="forecast"):  # (the peers' hint still there)
        Mine().forecast


@pytest.mark.parametrize("base", BASES)
def test_copies_pickles_and_hasattr_are_unchanged(base):
    obj = _owner(base)()
    assert type(copy.deepcopy(obj)) is type(obj)
    assert type(pickle.loads(pickle.dumps(obj))) is type(obj)
    assert not hasattr(obj, "fit_predict") and hasattr(obj, "fit")
    assert "fit" in dir(obj) and "fit_predict" not in dir(obj)


@pytest.mark.parametrize("base", BASES + ["GlobalForecaster"])
def test_a_subclass_property_whose_getter_fails_shows_its_own_error(base):
    # before, on GlobalForecaster: "'Mine' object has no attribute 'fitted_length'", the
    # property named as missing and the getter's own error lost
    class Mine(_owner(base)):
        @property
        def fitted_length(self):
            return len(self._no_such_state)

    with pytest.raises(AttributeError, match="_no_such_state"):
        Mine().fitted_length
    with pytest.raises(AttributeError, match="predict"):  # (a peer's method: its hint)
        Mine().fit_predict


def test_shown_names_gives_every_numpy_scalar_as_its_python_value():
    # before: id_column=['State', np.str_('Zone')] was refused as "[np.str_('Zone')]"
    import numpy as np

    from rnnlab.listing import shown_names

    assert shown_names([np.str_("Zone"), np.int64(5), np.bool_(True)]) == "['Zone', 5, True]"


def test_no_dates_asked_names_the_columns_as_the_frame_has_them():
    # before: "columns are ['unique_id', 't', 'y', '5']", the int column 5 shown as text
    import pandas as pd

    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    df = pd.DataFrame({"unique_id": ["a"] * 4, "t": range(4), "y": [1.0] * 4})
    df[5] = 1.0
    with pytest.raises(DataError, match=r"columns are \['unique_id', 't', 'y', 5\]"):
        read_panel(df, date_column=False)


def _panel_csv(tmp_path, dated=True):
    import pandas as pd

    n = 20
    df = pd.DataFrame({"unique_id": ["a"] * n + ["b"] * n,
                       "ds": list(pd.date_range("2020-01-01", periods=n, freq="D")) * 2,
                       "y": [float(i % 7) for i in range(2 * n)]})
    csv = tmp_path / "panel.csv"
    (df if dated else df.drop(columns="ds")).to_csv(csv, index=False)
    return csv


@pytest.mark.parametrize("command", ["backtest", "forecast"])
@pytest.mark.parametrize("dated", [True, False])
def test_panel_commands_read_date_column_none_as_no_dates(tmp_path, capsys, command, dated):
    # before: "date column 'none' not found" (a column named 'none'), where one-series
    # `rnnlab forecast --date-column none` reads the series without dates
    from rnnlab.cli import main

    csv = _panel_csv(tmp_path, dated)
    code = main([command, "--data", str(csv), "--id-column", "unique_id", "--date-column",
                 "None", "--horizon", "3", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code != 0 and "'none' not found" not in err, err
    assert "--date-column none" in err and "integer time steps" in err, err
    assert ("leave date_column out" in err) == dated, err  # (its 'ds' column: the dates)
    assert not (tmp_path / "out").exists()


def test_read_panel_wide_date_column_false_says_what_was_asked():
    # before: "no id column: expected 'unique_id'", of a wide table whose dates are a column
    import pandas as pd

    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    wide = pd.DataFrame({"when": pd.date_range("2020-01-01", periods=6, freq="D"),
                         "a": [1.0] * 6, "b": [2.0] * 6})
    with pytest.raises(DataError, match="date_column=False") as err:
        read_panel(wide, date_column=False)
    assert "no id column" not in str(err.value)
    assert read_panel(wide).ids == ("a", "b")  # (without it: the wide table, as before)
    assert read_panel(wide.set_index("when"), date_column=False).ids == ("a", "b")
