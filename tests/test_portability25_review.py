"""Review of the portability branch (session 25): what it missed, reproduced."""

import functools
import sys
from pathlib import Path
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


_MYCELLS = '''
from rnnlab.nn import Architecture, Recurrent, Stacked, register_architecture
from rnnlab.nn.cells import RNNCell


def build(spec, num_layers):
    return Stacked([Recurrent(RNNCell(spec.input_size if i == 0 else spec.hidden_size,
                                      spec.hidden_size), batch_first=True)
                    for i in range(num_layers)])


register_architecture(Architecture("mine25", "my rnn", build))
'''


def test_workers_know_the_architectures_a_notebook_imported(monkeypatch, tmp_path):
    """A notebook's `import mycells` (which registers 'mine25') then fit(devices=2): the
    workers, which do not run the notebook, have the architecture sent along; one whose
    build is the notebook's own is not sent (it could not be unpickled there: every fit,
    of any model, would die): a model of it is refused there, saying why. One whose
    module the worker cannot import is left out, not the end of the worker."""
    import importlib
    import pickle

    from rnnlab.nn import Architecture
    from rnnlab.nn.architectures import ARCHITECTURES
    from rnnlab.io.errors import ConfigError
    from rnnlab.train.worker_architectures import with_own_architectures

    (tmp_path / "mycells25.py").write_text(_MYCELLS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("rnnlab.nn.architectures.ARCHITECTURES", dict(ARCHITECTURES))
    import rnnlab.nn.architectures as archs
    mycells = importlib.import_module("mycells25")  # (registers 'mine25')

    (tmp_path / "gone25.py").write_text(_MYCELLS.replace("mine25", "gone25"), encoding="utf-8")
    importlib.import_module("gone25")  # (a module the worker will not find)
    notebook = _notebook(monkeypatch)
    archs.ARCHITECTURES["nb25"] = Architecture("nb25", "the notebook's", notebook.cb)
    fn = with_own_architectures(print)
    assert set(fn.archs) == {"mine25", "nb25", "gone25"}
    data = pickle.dumps(fn)
    (tmp_path / "gone25.py").unlink()
    monkeypatch.delitem(sys.modules, "gone25")
    importlib.invalidate_caches()
    sent = pickle.loads(data)  # (as a worker gets it: a registry without them)
    for name in ("mine25", "nb25", "gone25"):
        del archs.ARCHITECTURES[name]
    seen = []
    sent.fn = lambda ctx, *a: seen.append(sorted(set(archs.ARCHITECTURES) - set(archs.BUILT_IN)))
    sent("ctx")
    assert seen == [["mine25", "nb25"]]
    assert archs.ARCHITECTURES["mine25"].build is mycells.build
    with pytest.raises(ConfigError, match=r"'nb25' is registered with a build function defined "
                                          r"in a notebook.*\.py module"):
        archs.ARCHITECTURES["nb25"].build(None, 1)  # (was: "unknown model 'nb25'")
    for name in ("mine25", "nb25"):
        del archs.ARCHITECTURES[name]
    assert with_own_architectures(print) is print  # (none registered: nothing sent)


@pytest.mark.slow
def test_a_fit_on_two_processes_from_python_c_of_an_imported_architecture(tmp_path):
    """Reproduced: `python -c "import mycells; Forecaster(model=...).fit(y, devices=2)"`
    died in each worker on "unknown model 'mine25' ... import it before building"."""
    import os
    import subprocess
    from pathlib import Path

    (tmp_path / "mycells25.py").write_text(_MYCELLS, encoding="utf-8")
    import rnnlab

    src = str(Path(rnnlab.__file__).resolve().parents[1])  # (the rnnlab under test)
    code = ("import numpy as np, mycells25\nfrom rnnlab import Forecaster\n"
            "Forecaster(model='mine25', hidden_size=4, epochs=1, lookback=6).fit("
            "100 + np.sin(np.arange(60.0)), devices=2)\nprint('fit ok')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, str(tmp_path)]))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "fit ok" in done.stdout, done.stderr[-2000:]


_NO_PRCTL = '''
import ctypes


class _NoLibc(ctypes.CDLL):  # (macOS, Windows: no PR_SET_PDEATHSIG; CDLL(None): libc here)
    def __init__(self, name, *a, **k):
        if name is None:
            raise OSError("no prctl on this system")
        super().__init__(name, *a, **k)


ctypes.CDLL = _NoLibc
'''

_PARENT = '''
import os
import sys
import time


def work(ctx, folder):
    with open(os.path.join(folder, "w%d.tmp" % ctx.rank), "w") as f:
        f.write(str(os.getpid()))
    os.replace(os.path.join(folder, "w%d.tmp" % ctx.rank), os.path.join(folder, "w%d" % ctx.rank))
    time.sleep(300)


if __name__ == "__main__":
    from rnnlab.train.distributed import DeviceConfig, launch

    launch(work, (sys.argv[1],), DeviceConfig(accelerator="cpu", devices=2))
'''


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_spawned_workers_stop_when_their_parent_is_killed_without_pdeathsig(tmp_path):
    """The parent watch, in real workers: with prctl missing (as on macOS and Windows; made
    to fail here), `kill -9` of a devices=2 fit left both workers running to their end.
    The test of parent_watch alone passed a pipe to it, not a worker to stop."""
    import os
    import signal
    import subprocess
    import time
    from pathlib import Path

    import rnnlab

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(_NO_PRCTL, encoding="utf-8")
    (tmp_path / "parent.py").write_text(_PARENT, encoding="utf-8")
    src = str(Path(rnnlab.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, str(tmp_path / "site")]))
    parent = subprocess.Popen([sys.executable, str(tmp_path / "parent.py"), str(tmp_path)],
                              env=env, stderr=subprocess.DEVNULL)
    pids = []
    try:
        for _ in range(1200):  # (the workers start: a torch import each)
            if all((tmp_path / f"w{r}").exists() for r in (0, 1)) or parent.poll() is not None:
                break
            time.sleep(0.1)
        pids = [int((tmp_path / f"w{r}").read_text()) for r in (0, 1)]
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        for _ in range(600):
            if not any(_running(p) for p in pids):
                break
            time.sleep(0.1)
        assert not any(_running(p) for p in pids)
    finally:
        for p in pids:
            if _running(p):
                os.kill(p, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


def test_lm_metrics_open_in_excel_at_the_run_end_do_not_fail_the_run_on_windows(
        tmp_path, monkeypatch, capsys):
    """`lm train`'s end rewrites metrics.csv, then writes metrics.json (the run finished):
    on Windows, the file still open in Excel failed the command there, after the whole
    training, with no metrics.json. Elsewhere (a folder made read-only) it is raised."""
    import json
    from types import SimpleNamespace

    from rnnlab.lm import run_report

    real = run_report.atomic_write_text

    def held(path, text):
        if Path(path).name == "metrics.csv":
            e = PermissionError(13, "being used by another process", str(path))
            e.winerror = 32
            raise e
        return real(path, text)

    monkeypatch.setattr(run_report, "atomic_write_text", held)
    rec = {"epoch": 1, "train_loss": 2.0, "val_loss": 2.1, "lr": 0.01, "seconds": 1.0}
    lm = SimpleNamespace(history=[rec], config=SimpleNamespace(level="char"), baselines={},
                         info={})
    with pytest.raises(PermissionError):
        run_report.write_metrics(tmp_path, lm, 1.5)
    monkeypatch.setattr(sys, "platform", "win32")
    run_report.write_metrics(tmp_path, lm, 1.5)
    got = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert got["val_bpc"] == 1.5 and got["epochs_detail"][0]["train_loss"] == 2.0
    assert "is open in another program" in capsys.readouterr().err
