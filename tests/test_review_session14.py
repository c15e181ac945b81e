"""Problems found reviewing session 14's changes (h7-review): each test fails on the code
before its fix."""

import pandas as pd
import pytest

from rnnlab.io.errors import DataError


@pytest.mark.parametrize("step, freq", [("24h", "D"), ("168h", "W-SUN")])
def test_fixed_24_hour_steps_in_a_zone_with_dst_are_refused_as_off_the_day_calendar(
        step, freq, monkeypatch):
    """read_panel's fast path took steps of 24 hours (or 7 x 24) in Europe/Paris as on a
    'D' (or 'W-SUN') calendar; the per-series check it skips refuses them (pandas' days
    there are the clock's: 23 hours over the change to summer time), so the two paths
    disagreed on the same data."""
    from rnnlab.panel import frame

    ds = pd.date_range("2021-03-21", periods=20, freq=step, tz="Europe/Paris")  # over 28/03
    df = pd.DataFrame({"unique_id": "a", "ds": ds, "y": range(20)})
    with pytest.raises(DataError, match=f"dates off its '{freq}' calendar"):
        frame.read_panel(df, freq=freq)
    monkeypatch.setattr(frame, "_on_fixed_steps", lambda long, freq: False)  # the reference
    with pytest.raises(DataError, match=f"dates off its '{freq}' calendar"):
        frame.read_panel(df, freq=freq)


def test_clock_days_and_hours_in_a_zone_read_alike_on_both_paths(monkeypatch):
    """Days of the clock over the DST change (inferred 'D') and hours read as before."""
    from rnnlab.panel import frame

    for freq, n in (("D", 20), ("h", 200)):
        ds = pd.date_range("2021-03-21", periods=n, freq=freq, tz="Europe/Paris")
        df = pd.DataFrame({"unique_id": "a", "ds": ds, "y": range(n)})
        fast = frame.read_panel(df)
        with monkeypatch.context() as m:
            m.setattr(frame, "_on_fixed_steps", lambda long, freq: False)
            slow = frame.read_panel(df)
        pd.testing.assert_frame_equal(fast.df, slow.df)
        assert fast.freq == slow.freq == freq


def test_cutting_a_panel_with_no_rows_gives_it_back_not_a_float_conversion_error():
    """PanelFrame.cut on a panel without rows raised "ValueError: cannot convert float NaN
    to integer" (its 'leaves nothing' message read the longest series of none); it gave
    the empty panel back before the check of what a cut leaves was added."""
    from rnnlab.panel.frame import PanelFrame

    empty = pd.DataFrame({"unique_id": pd.Series([], dtype=str),
                          "ds": pd.Series([], dtype="datetime64[ns]"),
                          "y": pd.Series([], dtype=float)})
    panel = PanelFrame(empty, "D", 7, ())
    for steps in (0, 3):
        assert panel.cut(steps).df.empty and panel.cut(steps).ids == ()
    with pytest.raises(DataError, match="whole number"):  # still checked
        panel.cut(2.5)


def test_only_rnnlabs_own_files_warn_in_the_commands_words(tmp_path):
    """A warning from a package beside rnnlab whose folder name starts the same
    (src/rnnlab_plugins/) was printed as rnnlab's ('rnnlab forecast: warning: ...'): the
    test was a text prefix of the path."""
    import warnings
    from pathlib import Path

    import rnnlab
    from rnnlab.warning_lines import command_warnings

    package = Path(rnnlab.__file__).resolve().parent
    beside = str(package.parent / (package.name + "_plugins") / "hooks.py")
    with command_warnings("forecast"):
        ours = warnings.formatwarning("slow", UserWarning, str(package / "cli.py"), 3)
        theirs = warnings.formatwarning("slow", UserWarning, beside, 3)
    assert ours == "rnnlab forecast: warning: slow\n"
    assert theirs.startswith(beside) and "UserWarning: slow" in theirs


def test_a_saved_quantile_model_whose_levels_predate_the_median_rule_says_to_refit():
    """Levels all on one side of 0.5 were accepted before this session (the point was their
    mean); such a saved model is refused at load, and the message says what to do with a
    saved model (fit again / restore), not only the fit's 'add 0.5'."""
    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel.config import PanelConfig

    with pytest.raises(CheckpointError, match=r"model.json: PanelConfig: quantiles \[0\.9\]"
                                              r".*add 0\.5.*restore the folder from a copy, "
                                              r"or fit the model again"):
        PanelConfig.from_dict({"model": "lstm", "quantiles": [0.9]}, "model.json")
