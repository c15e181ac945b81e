"""calendar= (and the panel's covariates) as None or a number: None is no calendar, a
number is refused by name, one check for both configs (rnnlab.calendar_options)."""

import pytest

from rnnlab.io.errors import SettingError
from rnnlab.panel.config import PanelConfig


def test_panel_calendar_none_is_no_calendar():
    from rnnlab.panel import GlobalForecaster

    assert PanelConfig(calendar=None).calendar == ()  # (was: TypeError, not iterable)
    assert GlobalForecaster(calendar=None).config.calendar == ()
    assert PanelConfig(future_covariates=None, static_covariates=None).future_covariates == ()


@pytest.mark.parametrize("value", [3, 2.5, ("month", 1), (m for m in ["month"])])
def test_panel_calendar_not_names_is_refused_by_name(value):
    from rnnlab.panel import GlobalForecaster

    with pytest.raises(SettingError, match=r"PanelConfig: calendar must be feature names "
                       r"\(e\.g\. \('month', 'dayofweek'\).*None or \(\) for none"):
        PanelConfig(calendar=value)
    if not hasattr(value, "__next__"):
        with pytest.raises(SettingError, match=r"calendar must be feature names"):
            GlobalForecaster(calendar=value)


def test_panel_covariates_a_number_is_refused_by_name():
    with pytest.raises(SettingError, match=r"future_covariates must be column names .* "
                       r"got 3 \(int\)"):
        PanelConfig(future_covariates=3)


def test_names_still_read_as_before():
    import pandas as pd

    cfg = PanelConfig(calendar="month,dayofweek", future_covariates=pd.Index(["t", "p"]))
    assert cfg.calendar == ("month", "dayofweek")
    assert cfg.future_covariates == ("t", "p")
    assert PanelConfig(calendar=["month"]).calendar == ("month",)


def test_both_configs_use_the_one_check():
    from rnnlab.forecast import Forecaster

    with pytest.raises(SettingError, match=r"calendar must be feature names \('holiday', or "
                       r"\('holiday',\)\), got 3 \(int\); None or \(\) for none"):
        Forecaster(calendar=3)


@pytest.mark.parametrize("key,hint", [("static_covariates", r"fit\(static=\.\.\.\)"),
                                      ("future_covariates", r"columns of the panel")])
def test_a_table_given_for_names_is_refused_naming_its_columns(key, hint):
    import pandas as pd

    # a DataFrame iterates as its column names: static_covariates=static_df was read as
    # ('unique_id', 'region') and refused only at fit, as 'region' missing from the table
    table = pd.DataFrame({"unique_id": ["a", "b"], "region": ["n", "s"]})
    with pytest.raises(SettingError, match=rf"{key} must be column names, got a table "
                       rf"\(DataFrame of columns \['unique_id', 'region'\]\): .*{hint}.* "
                       rf"{key}=\('region',\)"):
        PanelConfig(**{key: table})
