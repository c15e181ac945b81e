"""Review of small30 (session 30): the warnings a panel's reading gives name the caller's
line, whatever the depth it is read at.

read_panel reaches a dict's series at one depth and a wide table's at another, and
GlobalForecaster.fit and .backtest read through two more calls: fixed stacklevels named a
line of rnnlab's (``frame.py``, ``covariates.py``) or, on the command line, ``<frozen
runpy>`` in Python's form instead of ``rnnlab backtest: warning: ...``."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError

BIG = np.array([2 ** 60 + 7 * i for i in range(10)], dtype=np.int64)  # (float64 rounds them)
DS = pd.date_range("2010-01-01", periods=10, freq="MS")


def _said(got) -> list:
    return [(Path(w.filename).name, str(w.message)[:50]) for w in got]


def test_a_wide_tables_rounded_whole_numbers_are_said_at_the_callers_line():
    from rnnlab.panel import read_panel

    wide = pd.DataFrame({"month": DS, "a": np.arange(10.0), "b": BIG})
    with pytest.warns(UserWarning, match=r"column 'b' has whole numbers beyond 2\*\*53") as got:
        read_panel(wide)  # (a dict's was said here; a wide table's at frame.py's line)
    assert {w.filename for w in got} == {__file__}, _said(got)


def test_a_fits_reading_warnings_name_the_line_that_called_fit():
    from rnnlab import GlobalForecaster

    y = np.arange(10.0)
    y[-2:] = np.nan  # (left out at its end, said)
    data = {1.5: pd.Series(y, index=DS), 2.5: pd.Series(BIG, index=DS)}  # (float ids: text)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        with pytest.raises(DataError, match="shorter than lookback"):  # (after the reading)
            GlobalForecaster(horizon=12, lookback=24, epochs=1).fit(data)
    said = _said(got)
    assert len(said) == 3 and {w.filename for w in got} == {__file__}, said  # (covariates.py)


def test_a_backtests_reading_warnings_name_the_line_that_called_it():
    from rnnlab import GlobalForecaster
    from rnnlab.forecast.history import CalendarWarning

    full = pd.date_range("2020-01-01", periods=19, freq="MS")
    ya = np.arange(19.0)
    ya[-2:] = np.nan  # (filled at its end: said)
    paused = list(full[:6]) + [pd.Timestamp("2021-07-01")]  # (a true date after a gap: said)
    df = pd.concat([pd.DataFrame({"unique_id": "a", "ds": full, "y": ya}),
                    pd.DataFrame({"unique_id": "b", "ds": paused, "y": np.arange(7.0)})],
                   ignore_index=True)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        with pytest.raises(DataError):
            GlobalForecaster(horizon=12, lookback=24, epochs=1).backtest(df, fill="zero")
    read = [w for w in got if w.category is CalendarWarning or "filled in target" in
            str(w.message)]
    assert len(read) == 2 and {w.filename for w in read} == {__file__}, _said(got)


def _backtest_of_a_wide_table(tmp_path, program) -> str:
    """stderr of ``program`` (a python command line) backtesting a wide table whose series
    'b' ends with 3 rows without a value, after checking that it says so as rnnlab's."""
    t = np.arange(60.0)
    df = pd.DataFrame({"month": pd.date_range("2010-01-01", periods=60, freq="MS"),
                       "a": 200 + 3 * t, "b": 100 + t})
    df.loc[57:, "b"] = np.nan
    df.to_csv(tmp_path / "w.csv", index=False)
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, *program, "backtest", "--data",
                           str(tmp_path / "w.csv"), "--model", "naive", "--baselines", "naive",
                           "--plot-series", "0", "--no-progress", "--out", str(tmp_path / "bt")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "rnnlab backtest: warning: " + str(tmp_path / "w.csv") + ": 1 series ends with " \
           "rows without a value" in " ".join(done.stderr.split()), done.stderr  # (wrapped)
    assert "UserWarning" not in done.stderr, done.stderr
    return done.stderr


@pytest.mark.slow
def test_the_command_line_says_a_wide_tables_left_out_rows_in_its_own_words(tmp_path):
    # the caller's frame under `python -m rnnlab` is runpy's: printed "<frozen runpy>:88:
    # UserWarning: ..." (the stacklevel pointed past rnnlab's frames, at none of them)
    _backtest_of_a_wide_table(tmp_path, ["-m", "rnnlab"])

def test_a_warning_at_the_programs_own_launcher_prints_as_the_commands(tmp_path, monkeypatch):
    # the caller's line of a command run by pip's `rnnlab` script is that script's
    # `sys.exit(main())`: printed ".../bin/rnnlab:8: UserWarning: ..."
    from rnnlab.warning_lines import command_warnings

    launcher = str(tmp_path / "rnnlab")  # (pytest-xdist's worker __main__ has no __file__)
    monkeypatch.setattr(sys.modules["__main__"], "__file__", launcher, raising=False)
    with command_warnings("backtest"):
        ours = warnings.formatwarning("cut", UserWarning, launcher, 8)
        theirs = warnings.formatwarning("cut", UserWarning, __file__, 8)
    assert ours == "rnnlab backtest: warning: cut\n"
    assert theirs.startswith(f"{__file__}:8: UserWarning: cut")  # (another file: Python's)


@pytest.mark.slow
def test_the_installed_command_says_a_wide_tables_left_out_rows_in_its_own_words(tmp_path):
    # pip's `rnnlab` script, as written into the environment's bin/
    launcher = tmp_path / "rnnlab"
    launcher.write_text("import sys\nfrom rnnlab.console import main\nif __name__ == "
                        "'__main__':\n    sys.exit(main())\n")
    stderr = _backtest_of_a_wide_table(tmp_path, [str(launcher)])
    assert f"{launcher}:" not in stderr, stderr


@pytest.mark.parametrize("command, lacks", [("backtest", "backtest folds"),
                                            ("forecast", "checkpoint")])
def test_nothing_to_resume_names_the_users_files_not_rnnlabs_marks(tmp_path, capsys, command,
                                                                   lacks):
    # listed first, hidden: "(.rnnlab-pending, .rnnlab-run, a.csv)"
    from rnnlab.cli import main
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import prepare_run_dir

    out = tmp_path / "run"
    with running([command, "--data", "p.csv", "--out", str(out)]):
        prepare_run_dir(out)  # (its marks: .rnnlab-run, .rnnlab-pending)
    (out / "a.csv").write_text("mine")
    argv = [command, "--data", "visnights", "--model", "gru", "--out", str(out), "--resume"]
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert f"{out}: holds a run with no {lacks} to resume (a.csv): " in err, err
    (out / "a.csv").unlink()
    (out / ".rnnlab-written").write_text("[]")  # (a finished run whose files are gone)
    assert main(argv) != 0
    err = capsys.readouterr().err
    assert "to resume (rnnlab's marks alone): " in err and ".rnnlab" not in err, err


def test_a_relinked_configs_link_beside_is_a_temporary_and_goes_when_the_rename_fails(
        tmp_path, monkeypatch):
    # named .config.json.link.tmp, it was left in the run when the rename failed (a kill),
    # and read as a file of the run's, not as a killed write's temporary
    from rnnlab.io import resumed_marks
    from rnnlab.io.atomic import is_temporary

    (tmp_path / "config.json").write_text("{}")  # (what a resume wrote there)
    made = []

    def cut_short(src, dst):
        made.append(Path(src).name)
        raise KeyboardInterrupt

    monkeypatch.setattr(resumed_marks.os, "replace", cut_short)
    with pytest.raises(KeyboardInterrupt):
        resumed_marks._relink(tmp_path / "config.json", "../shared.json")
    assert len(made) == 1 and is_temporary(made[0]), made
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json"]
    monkeypatch.undo()
    resumed_marks._relink(tmp_path / "config.json", "../shared.json")
    assert os.readlink(tmp_path / "config.json") == "../shared.json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json"]
