"""``time_zone=`` (``--time-zone``) on the one-series Forecaster with calendar 'holiday':
hourly dates held in UTC read their holidays on the zone's clock (the option declared
once for both configs, rnnlab.calendar_options)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.forecast import Forecaster
from rnnlab.io.errors import SettingError

pytest.importorskip("holidays")

AU = dict(lookback=24, horizon=24, hidden_size=4, epochs=1, ensemble=1, progress=False,
          seed=0, select="network", calendar=("holiday",), country="AU-VIC")
MEL = "Australia/Melbourne"


def _utc_csv(tmp_path) -> str:
    # hourly dates written with Melbourne's offsets (+11:00, then +10:00 from 5 April
    # 2020): read as UTC instants
    d = pd.date_range("2020-04-01", periods=24 * 16, freq="h", tz=MEL)
    path = tmp_path / "mel.csv"
    pd.DataFrame({"ds": [x.isoformat() for x in d],
                  "y": np.sin(np.arange(len(d)) / 3.8) + 2}).to_csv(path, index=False)
    return str(path)


def test_the_holidays_are_read_on_the_zones_clock():
    from rnnlab.forecast.holidays import flags_of
    from rnnlab.data.series import load_series

    # 12:00 UTC on 9 April is 22:00 in Melbourne (+10:00): Good Friday, 10 April, starts
    # there 2 hours later, and 12 hours later in UTC
    d = pd.date_range("2020-04-09 12:00", periods=24, freq="h", tz="UTC")
    s = load_series(pd.Series(np.ones(24), index=d))
    utc = flags_of(s, 0, 24, "AU-VIC")
    local = flags_of(s, 0, 24, "AU-VIC", MEL)
    assert utc.sum() == 12 and utc[12:].all()
    assert local.sum() == 22 and local[2:].all()


@pytest.mark.slow
def test_time_zone_silences_the_utc_warning_and_is_saved(tmp_path):
    from rnnlab.panel.calendar import UtcClockWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", UtcClockWarning)  # (the zone is named: no warning)
        f = Forecaster(**AU, time_zone=MEL).fit(_utc_csv(tmp_path), date_column="ds")
    f.save(tmp_path / "m")
    again = Forecaster.load(tmp_path / "m")
    assert again.config.time_zone == MEL
    np.testing.assert_array_equal(again.predict(), f.predict())


@pytest.mark.parametrize("settings, said", [
    (dict(time_zone=MEL), r"time_zone='Australia/Melbourne' reads the dates' holidays on "
                          r"that clock, and calendar has no 'holiday'"),
    (dict(AU, time_zone="Melbourne"), r"time zone 'Melbourne' is not an IANA time zone"),
])
def test_time_zone_without_holidays_or_not_a_zone_is_refused(settings, said):
    with pytest.raises(SettingError, match=said):
        Forecaster(**settings)


def test_the_option_is_one_declaration_for_both_configs():
    from rnnlab.forecast.config import ForecastConfig
    from rnnlab.options import declared
    from rnnlab.panel.config import PanelConfig

    ours = {f.name: o for f, o in declared(ForecastConfig)}["time_zone"]
    panel = {f.name: o for f, o in declared(PanelConfig)}["time_zone"]
    assert ours.parse is panel.parse and ours.flag_for("time_zone") == "--time-zone"
    assert ForecastConfig().time_zone is None  # (the default: as before)


def test_forecast_help_says_what_the_zone_does_on_a_panel_too():
    # `rnnlab forecast --help` showed the one-series text alone ("calendar 'holiday': ...
    # the outputs' dates as read"), while a panel's outputs follow the zone's clock
    from rnnlab.cli import build_parser

    parser = build_parser(["forecast", "--help"])
    sub = next(a for a in parser._subparsers._group_actions[0].choices.values()
               if a.prog.endswith("forecast"))
    text = next(a.help for a in sub._actions if "--time-zone" in a.option_strings)
    assert "one series with calendar 'holiday'" in text and "its outputs' dates as read" in text
    assert "a panel's dates are converted to it" in text and "outputs' dates on its clock" in text


@pytest.mark.slow
def test_the_command_takes_time_zone_on_one_series(tmp_path, capsys):
    import json

    from cli_run import run

    out = tmp_path / "run"
    code, err = run(["forecast", "--data", _utc_csv(tmp_path), "--date-column", "ds",
                     "--calendar", "holiday", "--country", "AU-VIC", "--time-zone", MEL,
                     "--lookback", "24", "--horizon", "24", "--epochs", "1", "--ensemble",
                     "1", "--hidden-size", "4", "--no-progress", "--out", str(out)], capsys)
    assert code == 0, err
    assert "UtcClockWarning" not in err and not (out / "panel.json").exists()
    assert json.loads((out / "config.json").read_text())["config"]["time_zone"] == MEL
    code, err = run(["forecast", "--data", _utc_csv(tmp_path), "--date-column", "ds",
                     "--time-zone", MEL, "--out", str(tmp_path / "r2")], capsys)
    assert code == 2 and "calendar has no 'holiday'" in err
