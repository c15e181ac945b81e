"""Review of the portability branch (session 25): what it missed, reproduced."""

import functools
import sys
from types import ModuleType

import pytest


def _notebook(monkeypatch):
    """A notebook's ``__main__`` (IPython's: no file, no module spec) holding ``cb``."""
    def cb(tag, epoch, record):
        pass

    cb.__module__, cb.__qualname__ = "__main__", "cb"
    notebook = ModuleType("__main__")
    notebook.cb = cb
    monkeypatch.setitem(sys.modules, "__main__", notebook)
    return notebook


def test_a_partial_of_a_notebook_function_with_devices_is_refused(monkeypatch):
    """`fit(y, devices=2, on_epoch=functools.partial(cb, "run1"))` from a notebook (or
    `python -c`): the partial pickles, its function by name, which the spawned workers do
    not have: each died on "Can't get attribute 'cb'", the fit on "worker process(es)
    died" (reproduced with python -c); only a bare function of the notebook was refused."""
    from rnnlab.io.errors import OptionError
    from rnnlab.lm.fit_process import check_picklable

    notebook = _notebook(monkeypatch)
    with pytest.raises(OptionError, match=r"on_epoch \(a partial\) uses 'cb', which is defined "
                                          r"in a notebook.*\.py module"):
        check_picklable(functools.partial(notebook.cb, "run1"), 2)
    check_picklable(functools.partial(print, "run1"), 2)  # (a module's function: fine)
    notebook.__file__ = "job.py"  # (a script: each worker imports it again)
    check_picklable(functools.partial(notebook.cb, "run1"), 2)


def test_an_instance_of_a_notebook_class_with_devices_is_refused(monkeypatch):
    from rnnlab.io.errors import OptionError
    from rnnlab.lm.fit_process import check_picklable

    notebook = _notebook(monkeypatch)

    class Logger:
        def __call__(self, epoch, record):
            pass

    Logger.__module__, Logger.__qualname__ = "__main__", "Logger"
    notebook.Logger = Logger
    with pytest.raises(OptionError, match=r"uses 'Logger', which is defined in a notebook"):
        check_picklable(Logger(), 2)


def test_an_lm_metrics_row_held_back_by_excel_is_written_with_the_next_one(tmp_path,
                                                                         monkeypatch, capsys):
    """metrics.csv open in Excel on Windows at epoch 2's end, closed by epoch 3's: the next
    write kept the file's rows (epoch 1) and added epoch 3's; epoch 2's, said to "wait for
    the next write", was gone (for good if the run was then killed)."""
    from rnnlab.io.atomic import atomic_write_text
    from rnnlab.lm import metrics_rows

    def held(path, text):
        e = PermissionError(13, "being used by another process", str(path))
        e.winerror = 32
        raise e

    monkeypatch.setattr(sys, "platform", "win32")
    rows = metrics_rows.EpochRows(str(tmp_path))
    rec = {"epoch": 1, "train_loss": 2.0, "val_loss": 2.1, "lr": 0.01, "seconds": 1.0}
    rows(1, rec)
    monkeypatch.setattr(metrics_rows, "atomic_write_text", held)
    rows(2, dict(rec, epoch=2, train_loss=1.5))
    rows(3, dict(rec, epoch=3, train_loss=1.25))
    monkeypatch.setattr(metrics_rows, "atomic_write_text", atomic_write_text)
    rows(4, dict(rec, epoch=4, train_loss=1.0))
    lines = (tmp_path / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["1", "2"], ["2", "1.5"], ["3", "1.25"], ["4", "1"]]
    rows(2, dict(rec, epoch=2, train_loss=9.0))  # (a resume from epoch 1: rows 2- dropped)
    lines = (tmp_path / "metrics.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in lines[1:]] == [["1", "2"], ["2", "9"]]
    assert capsys.readouterr().err.count("is open in another program") == 1


def test_devices_in_an_app_made_by_pyinstaller_are_not_refused(monkeypatch, tmp_path):
    """A Windows app made by PyInstaller (multiprocessing.freeze_support()) starts its
    workers from the executable: multiprocessing does not read the main script there
    (spawn.WINEXE), whose __file__ names a file not on disk (inside the app's bundle). The
    check for a script read on standard input refused such an app's fit(devices=2),
    which worked; a script that is not a file, not frozen, is still refused."""
    from rnnlab.io.errors import ConfigError
    from rnnlab.train.distributed import DeviceConfig
    from rnnlab.train.launch_checks import check_launchable

    main = ModuleType("__main__")
    main.__spec__, main.__file__ = None, str(tmp_path / "_MEI1234" / "app.py")
    monkeypatch.setitem(sys.modules, "__main__", main)
    two = DeviceConfig(accelerator="cpu", devices=2)
    with pytest.raises(ConfigError, match="not a file they can read"):
        check_launchable(two)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    check_launchable(two)
