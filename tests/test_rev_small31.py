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
