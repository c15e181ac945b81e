"""Review of session 34's smalls: a panel model saved before quarter_holidays counted a
fiscal frequency's own quarters keeps reading the calendar quarters it was fitted on (it
read other feature values than it was trained with, unsaid)."""

import json

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.json_file import checksummed_text

pytest.importorskip("holidays")


def _fiscal_model(folder):
    from rnnlab.panel import GlobalForecaster, read_panel

    ds = pd.date_range("2015-02-01", periods=24, freq="QS-FEB")
    df = pd.DataFrame({"unique_id": np.repeat(["a", "b"], 24), "ds": np.tile(ds, 2),
                       "y": np.concatenate([np.arange(24.0) + 10, np.arange(24.0) * 2 + 5])})
    f = GlobalForecaster("gru", lookback=4, horizon=2, hidden_size=4, epochs=1,
                         batches_per_epoch=1, ensemble=1, progress=False,
                         calendar=("quarter_holidays",), country="US").fit(read_panel(df))
    f.save(folder)
    return f


def _as_saved_before(folder):
    """The model.json in ``folder`` as an rnnlab before session 34 wrote it: no
    ``own_quarters`` among its features."""
    path = folder / "model.json"
    meta = json.loads(path.read_text())
    meta.pop("_sha256")
    meta["extra"]["features"].pop("own_quarters", None)
    path.write_text(checksummed_text(meta))


_QUARTERS = pd.date_range("2019-02-01", periods=4, freq="QS-FEB")
# US holidays in Feb-Apr, May-Jul, Aug-Oct 2019 and Nov 2019-Jan 2020; and in the
# calendar quarters holding those dates (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec 2019)
_OWN, _CALENDAR = [1, 2, 2, 5], [3, 1, 2, 4]


def _counts(f) -> list:
    return f.features.known("a", _QUARTERS, pd.DataFrame(index=range(4)))[:, 0].tolist()


def test_a_model_saved_before_keeps_the_calendar_quarters_it_was_fitted_on(tmp_path, capsys):
    from rnnlab.panel import GlobalForecaster

    folder = tmp_path / "m"
    fitted = _fiscal_model(folder)
    assert _counts(fitted) == _OWN
    capsys.readouterr()
    assert _counts(GlobalForecaster.load(folder)) == _OWN  # (saved now: its own quarters)
    assert "older rnnlab" not in capsys.readouterr().err
    _as_saved_before(folder)
    old = GlobalForecaster.load(folder)
    assert _counts(old) == _CALENDAR  # (was: _OWN, values it was not fitted on)
    err = capsys.readouterr().err
    assert "quarter_holidays counted each date's calendar quarter, not the QS-FEB" in err
    assert "fit it again" in err
    old.save(tmp_path / "again")  # (saved again: still the quarters it was fitted on)
    assert _counts(GlobalForecaster.load(tmp_path / "again")) == _CALENDAR


def test_own_quarters_of_another_kind_is_refused():
    from rnnlab.io.errors import ConfigTypeError
    from rnnlab.panel.saved_features import check_features

    d = {"lookback": 4, "horizon": 2, "lag": 0, "freq": "QS-FEB", "past": [], "future": [],
         "calendar": ["quarter_holidays"], "country": "US", "transforms": {},
         "covs": {"columns": [], "mean": [], "std": []},
         "static": {"categorical": {}, "numeric": {}}, "codes": {}, "values": {}}
    check_features(d)
    with pytest.raises(ConfigTypeError, match="own_quarters should be true or false"):
        check_features({**d, "own_quarters": "yes"})


@pytest.mark.parametrize("freq, shifted", [("QS-FEB", True), ("QE-APR", True),
                                           ("QS-DEC", True), ("QS", False), ("QE-JUN", False),
                                           ("QS-OCT", False), ("MS", False), ("W-SUN", False)])
def test_shifted_quarters_are_those_not_the_calendars(freq, shifted):
    from rnnlab.panel.calendar import shifted_quarters

    assert shifted_quarters(freq) is shifted


def test_the_docs_calendar_quarter_counts_are_the_calendars():
    # docs/panels.md said the calendar quarters holding QS-FEB's 2019 dates held 3, 2, 2
    # and 3 US holidays: Jan-Mar 3, Apr-Jun 1 (Memorial Day), Jul-Sep 2, Oct-Dec 4
    from pathlib import Path

    from rnnlab.panel.calendar import holiday_counts

    counts = holiday_counts(_QUARTERS, "US", "Q").astype(int).tolist()
    assert counts == _CALENDAR
    doc = (Path(__file__).resolve().parents[1] / "docs" / "panels.md").read_text()
    said = ", ".join(map(str, counts[:-1])) + f" and {counts[-1]}"
    assert f"the calendar quarters held {said};" in doc


def test_a_link_to_a_device_is_refused_unopened(tmp_path, monkeypatch):
    # session 34 opened every path, then checked the open file: a device a model folder
    # links to was opened (a tape drive rewinds, a serial line resets) before its refusal
    import os

    from rnnlab.io import json_file
    from rnnlab.io.errors import CheckpointError

    if not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    (tmp_path / "model.json").symlink_to("/dev/zero")
    opened, real_open = [], os.open
    monkeypatch.setattr(json_file.os, "open",
                        lambda p, *a, **k: opened.append(os.fspath(p)) or real_open(p, *a, **k))
    with pytest.raises(CheckpointError, match="is a device, pipe or socket"):
        json_file.read_json(tmp_path / "model.json")
    assert json_file.peek_json(tmp_path / "model.json") is None
    assert opened == []


def test_a_socket_is_named_as_one(tmp_path):
    # its open failed (ENXIO) and was said as "cannot be read (No such device or
    # address); check that the file is whole and its disk working"
    import socket

    from rnnlab.io.errors import CheckpointError
    from rnnlab.io.json_file import read_json

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("needs Unix sockets")
    path = tmp_path / "cli.json"
    with socket.socket(socket.AF_UNIX) as s:
        try:
            s.bind(str(path))
        except OSError as e:  # (a path too long for a socket's address)
            pytest.skip(f"cannot bind a socket here: {e}")
        with pytest.raises(CheckpointError, match=r"cli\.json: is a device, pipe or socket, "
                                                  r"not a JSON file"):
            read_json(path)


def test_the_coarse_flag_warning_counts_one_date_in_the_singular():
    # was: "1 of the 60 are, while ..." (and "1 holidays fall" where one fell)
    import warnings

    from rnnlab.panel.calendar import holiday_dates
    from rnnlab.panel.coarse_holidays import CoarseHolidayWarning, warn_coarse_holidays

    many = pd.date_range("2015-11-08", periods=60, freq="W-SUN")  # (one Sunday holiday)
    few = pd.date_range("2019-11-03", periods=3, freq="W-SUN")  # (Veterans Day, a Monday)
    for ds, flagged, inside in ((many, 1, None), (few, 0, 1)):
        held = [d for d in holiday_dates(ds, "US") if ds[0] <= d <= ds[-1]]
        assert int(ds.isin(held).sum()) == flagged and inside in (None, len(held))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        warn_coarse_holidays(("holiday",), many, "US")
        warn_coarse_holidays(("holiday",), few, "US")
    said = [str(x.message) for x in w if issubclass(x.category, CoarseHolidayWarning)]
    assert len(said) == 2, said
    assert ": 1 of the 60 is, while " in said[0] and "holidays fall in their span" in said[0]
    assert ": 0 of the 3 are, while 1 holiday falls in their span" in said[1]


def test_an_unfinished_runs_half_precision_best_weights_load_with_the_note(tmp_path, capsys):
    # CharLM.load of a run with no model/ yet (killed) read checkpoints/best.safetensors
    # through its own copy of the loader's checks, without session 34's float16 note
    import torch

    from rnnlab.io.weights import load_weights, read_header, save_weights
    from rnnlab.lm import CharLM

    run = tmp_path / "run"
    CharLM(hidden_size=8, num_layers=1, embedding=4).fit(
        "the cat sat on the mat. " * 20, checkpoint_dir=run / "checkpoints", epochs=1,
        seq_len=8, batch_size=4, progress=False)
    best = run / "checkpoints" / "best.safetensors"
    said = read_header(best).get("__metadata__")
    stored = {k: v.half() if v.is_floating_point() else v for k, v in load_weights(best).items()}
    save_weights(best, stored, said)
    capsys.readouterr()
    lm = CharLM.load(run)
    err = capsys.readouterr().err
    assert "unfinished run" in err  # (the unfinished run's own note, as before)
    notes = [line for line in err.splitlines() if "are stored as float16" in line]
    assert len(notes) == 1 and str(best) in notes[0], err
    for k, v in lm.net.state_dict().items():
        if stored[k].is_floating_point():
            assert v.dtype == torch.float32 and torch.equal(v, stored[k].float()), k


@pytest.mark.parametrize("months, quarters, start", [("3MS", "QS-FEB", "2015-02-01"),
                                                     ("3ME", "QE-APR", "2015-04-30"),
                                                     ("3MS", "QS-DEC", "2015-03-01"),
                                                     ("3MS", "QS", "2015-01-01")])
def test_dates_three_months_apart_count_the_quarters_they_step_by(months, quarters, start):
    # read_panel(freq="3MS") takes QS-FEB's dates; their count was of the calendar quarter
    # holding each (a month off the step's own), while the coarse-holiday warning, reading
    # the dates alone, called quarter_holidays their steps' count
    from rnnlab.panel.calendar import holiday_counts

    ds = pd.date_range(start, periods=12, freq=quarters)
    want = holiday_counts(ds, "US", "Q", quarters)
    np.testing.assert_array_equal(holiday_counts(ds, "US", "Q", months), want)
    calendar = "QS" if months == "3MS" else "QE"  # (another series, on calendar quarters)
    other = pd.date_range("2015-01-01", periods=12, freq=calendar)
    both = holiday_counts(ds.append(other), "US", "Q", months)
    np.testing.assert_array_equal(both, np.concatenate(
        [want, holiday_counts(other, "US", "Q", calendar)]))
