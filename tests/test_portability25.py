"""Windows and macOS from a Linux box (session 25), simulated: Windows' line ends
(``os.linesep``) in what rnnlab writes and records; spawned workers that cannot start;
a run's file held open by another program (Excel) on Windows."""

import os
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SRC = Path(__file__).resolve().parents[1] / "src" / "rnnlab"


def _panel_csv(path):
    rng = np.random.default_rng(0)
    rows = [pd.DataFrame({"store": f"s{i}", "day": pd.date_range("2021-01-01", periods=12,
                                                                 freq="D").strftime("%Y-%m-%d"),
                          "sales": 10 + i + rng.normal(0, 1, 12)}) for i in range(2)]
    pd.concat(rows).to_csv(path, index=False)
    return path


def test_a_panels_sha256_is_the_same_on_windows(tmp_path, monkeypatch):
    """The panel's data_sha256 (config.json, a saved GlobalForecaster) hashed pandas'
    CSV text, whose lines end in os.linesep: on Windows the same data had another hash."""
    from rnnlab.panel.backtest_save import panel_sha256
    from rnnlab.panel.frame import read_panel

    path = _panel_csv(tmp_path / "p.csv")
    def read():
        return read_panel(path, id_column="store", date_column="day", target="sales")

    linux = panel_sha256(read())
    monkeypatch.setattr(os, "linesep", "\r\n")
    assert panel_sha256(read()) == linux


def test_a_written_csv_has_the_same_line_ends_on_windows(tmp_path, monkeypatch, capsys):
    """`rnnlab score --output rows.csv` on Windows wrote \\r\\n line ends (pandas'
    os.linesep), where every other file of rnnlab's, and the same command on Linux, \\n."""
    from rnnlab.cli import main

    t = np.arange(30.0)
    pd.DataFrame({"month": pd.date_range("2001-01-01", periods=30, freq="MS"),
                  "units": 100 + t}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"time": ["2002-01-01", "2002-02-01"], "forecast": [112.0, 114.0]}).to_csv(
        tmp_path / "f.csv", index=False)
    monkeypatch.setattr(os, "linesep", "\r\n")
    assert main(["score", str(tmp_path / "f.csv"), "--actuals", str(tmp_path / "a.csv"),
                 "--output", str(tmp_path / "rows.csv")]) == 0
    data = (tmp_path / "rows.csv").read_bytes()
    assert data.count(b"\n") >= 3 and b"\r" not in data


def test_every_csv_text_rnnlab_writes_names_its_line_end():
    """pandas' to_csv() without a path ends lines with os.linesep: each call in rnnlab
    gives lineterminator="\\n" (the two tests above check two of them)."""
    missing = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\.to_csv\(\s*index=False\b(?!,\s*lineterminator=\"\\n\")", text):
            missing.append(f"{path.relative_to(SRC)}:{text.count(chr(10), 0, m.start()) + 1}")
    assert not missing


def _two_cpu_processes():
    from rnnlab.train.distributed import DeviceConfig

    return DeviceConfig(accelerator="cpu", devices=2)


def test_devices_in_a_pool_worker_are_refused_before_any_process_starts(monkeypatch):
    """fit(devices=2) in a multiprocessing.Pool worker (daemonic) died on Python's bare
    "AssertionError: daemonic processes are not allowed to have children"."""
    import multiprocessing
    from types import SimpleNamespace

    import pytest

    from rnnlab.io.errors import ConfigError
    from rnnlab.train.launch_checks import check_launchable

    monkeypatch.setattr(multiprocessing, "current_process",
                        lambda: SimpleNamespace(daemon=True, _inheriting=False))
    with pytest.raises(ConfigError, match=r"daemonic worker .*ProcessPoolExecutor"):
        check_launchable(_two_cpu_processes())


def test_devices_from_a_script_on_standard_input_are_refused(monkeypatch, tmp_path):
    """`python - <<EOF` ... fit(devices=2): each spawned worker imports the main file again,
    '<stdin>' there: every worker died on FileNotFoundError, the fit on "worker
    process(es) died". A main script in a file, or run with -m, is not refused."""
    import sys
    from types import ModuleType

    import pytest

    from rnnlab.io.errors import ConfigError
    from rnnlab.train.launch_checks import check_launchable

    main = ModuleType("__main__")
    main.__spec__, main.__file__ = None, "<stdin>"
    monkeypatch.setitem(sys.modules, "__main__", main)
    with pytest.raises(ConfigError, match=r"'<stdin>', not a file .*save it to a \.py file"):
        check_launchable(_two_cpu_processes())
    (tmp_path / "job.py").write_text("", encoding="utf-8")
    main.__file__ = str(tmp_path / "job.py")
    check_launchable(_two_cpu_processes())
    main.__spec__, main.__file__ = object(), "<stdin>"  # (-m: imported by its name)
    check_launchable(_two_cpu_processes())


def _held_by_excel(path):
    """The PermissionError Windows raises for a file another program holds open."""
    e = PermissionError(13, "The process cannot access the file because it is being used "
                            "by another process", str(path))
    e.winerror = 32  # (ERROR_SHARING_VIOLATION; set by Windows' OSError, absent on Linux)
    return e


def test_overwrite_of_a_run_whose_file_is_open_in_excel_says_close_it(tmp_path, monkeypatch,
                                                                       capsys):
    """--overwrite sets the old run aside by renames; on Windows one of its files open in
    Excel cannot move: the command said "choose a path you can read and write", though the
    path is right and only closing the file helps."""
    from rnnlab.cli import main
    from rnnlab.io import previous_run

    out = tmp_path / "run"
    out.mkdir()
    (out / ".rnnlab-run").write_text("made by rnnlab\n", encoding="utf-8")
    (out / "forecast.csv").write_text("time,model\n", encoding="utf-8")
    (out / "config.json").write_text("{}", encoding="utf-8")

    def replace(src, dst):
        raise _held_by_excel(src)

    monkeypatch.setattr(previous_run.os, "replace", replace)
    monkeypatch.setattr(sys, "platform", "win32")
    assert main(["forecast", "--data", "airline", "--epochs", "1", "--out", str(out),
                 "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert "open in another program" in err and "close it there" in err
    assert "choose a path" not in err


def test_a_file_held_open_is_said_so_only_on_windows(monkeypatch):
    from types import SimpleNamespace

    from rnnlab.cli_failures import os_error_message

    e = _held_by_excel("C:/runs/a/forecast.csv")
    assert "choose a path you can read" in os_error_message(e, SimpleNamespace(), "forecast")
    monkeypatch.setattr(sys, "platform", "win32")
    assert "close it there" in os_error_message(e, SimpleNamespace(), "forecast")
    e.winerror = 5  # (access denied: a permission to fix, or a path to change)
    assert "choose a path you can read" in os_error_message(e, SimpleNamespace(), "forecast")


class _Stop(Exception):
    pass


def _stop_at(monkeypatch, module, name, seen, at=0):
    """``module.name`` records its argument ``at`` (a run directory), then stops the run."""
    def record(*a, **k):
        seen.append(str(a[at]))
        raise _Stop

    monkeypatch.setattr(module, name, record)


def test_a_compare_of_stooq_data_has_a_default_folder_windows_can_make(tmp_path, monkeypatch):
    """`rnnlab compare --data stooq:AAPL.US` went to runs/compare-forecast-stooq:AAPL.US, a
    name Windows cannot make (':' names a file's stream there)."""
    import rnnlab.compare.runner as runner
    from rnnlab.cli import main

    stooq = tmp_path / "cache" / "stooq"
    stooq.mkdir(parents=True)
    days = pd.bdate_range("2020-01-01", periods=80)
    pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Open": 1.0, "High": 1.0, "Low": 1.0,
                  "Close": 10 + np.arange(80.0)}).to_csv(stooq / "aapl.us.csv", index=False)
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    seen = []
    _stop_at(monkeypatch, runner, "run_compare", seen, at=1)
    args = ["compare", "--data", "stooq:AAPL.US", "--models", "rnn", "--epochs", "1"]
    for platform, name in (("linux", "compare-forecast-stooq:AAPL.US"),
                           ("win32", "compare-forecast-stooq_AAPL.US")):
        monkeypatch.setattr(sys, "platform", platform)
        try:
            main(args)
        except _Stop:
            pass
        assert Path(seen.pop()).name == name


def test_a_forecast_of_a_windows_relative_path_has_one_default_folder(tmp_path, monkeypatch):
    """`rnnlab forecast --data data\\sales.csv` on Windows went to runs/forecast-data\\sales.csv:
    a run folder sales.csv inside a folder forecast-data (on Linux: forecast-data_sales.csv)."""
    import importlib

    importlib.import_module("matplotlib.figure")  # (as on Linux: under "win32" it reads the
    # registry for fonts)

    import rnnlab.forecast.cli as forecast_cli
    from rnnlab.cli import main

    monkeypatch.chdir(tmp_path)
    pd.DataFrame({"month": pd.date_range("2000-01", periods=48, freq="MS"),
                  "y": 100 + np.arange(48.0)}).to_csv("data\\sales.csv", index=False)
    seen = []
    _stop_at(monkeypatch, forecast_cli, "resolve_run_dir", seen, at=1)
    monkeypatch.setattr(sys, "platform", "win32")
    try:
        main(["forecast", "--data", "data\\sales.csv", "--epochs", "1"])
    except _Stop:
        pass
    assert seen == ["runs/forecast-data_sales.csv"]


def test_a_worker_is_stopped_once_its_parent_is_gone():
    """macOS and Windows have no PR_SET_PDEATHSIG: workers of a parent killed (kill -9)
    trained on to the last epoch (reproduced on Linux with prctl made to fail). A thread
    waits on the parent's sentinel and stops the worker as Linux's SIGTERM does."""
    import threading

    from rnnlab.train.parent_watch import stop_when_parent_gone

    assert stop_when_parent_gone() is None  # (not a multiprocessing child: nothing to watch)
    r, w = os.pipe()  # (a sentinel: ready once the other end is closed, as a dead parent's)
    stopped = threading.Event()
    try:
        thread = stop_when_parent_gone(r, stopped.set)
        assert thread.daemon and not stopped.is_set()
        os.close(w)
        assert stopped.wait(60)
    finally:
        os.close(r)


def test_an_on_epoch_from_a_notebook_with_devices_is_refused_before_any_process(monkeypatch):
    """A notebook's (or `python -c`'s) function pickles by name, but spawned workers do not
    run the notebook: each died on "AttributeError: Can't get attribute 'cb' on <module
    '__main__' (built-in)>", the fit on "worker process(es) died". A script's is fine."""
    from types import ModuleType

    import pytest

    from rnnlab.io.errors import OptionError
    from rnnlab.lm.fit_process import check_picklable

    def cb(epoch, record):
        pass

    cb.__module__, cb.__qualname__ = "__main__", "cb"
    notebook = ModuleType("__main__")  # (IPython's: no file, no module spec)
    notebook.cb = cb
    monkeypatch.setitem(sys.modules, "__main__", notebook)
    with pytest.raises(OptionError, match=r"on_epoch='cb' is defined in a notebook.*\.py module"):
        check_picklable(cb, 2)
    notebook.__file__ = "job.py"  # (a script: each worker imports it again)
    check_picklable(cb, 2)


def test_lm_metrics_open_in_excel_do_not_end_the_training_on_windows(tmp_path, monkeypatch,
                                                                     capsys):
    """`lm train` rewrites metrics.csv after each epoch; on Windows, the file open in Excel
    cannot be replaced, and the PermissionError ended the training at that epoch's end.
    Elsewhere (a folder made read-only) it is raised as before."""
    import pytest

    from rnnlab.lm import metrics_rows

    def held(path, text):
        raise _held_by_excel(path)

    monkeypatch.setattr(metrics_rows, "atomic_write_text", held)
    rows = metrics_rows.EpochRows(str(tmp_path))
    rec = {"epoch": 1, "train_loss": 2.0, "val_loss": 2.1, "lr": 0.01, "seconds": 1.0}
    with pytest.raises(PermissionError):
        rows(1, rec)
    monkeypatch.setattr(sys, "platform", "win32")
    rows(1, rec)
    rows(2, dict(rec, epoch=2))
    err = capsys.readouterr().err
    assert err.count("is open in another program") == 1 and "at the run's end" in err
