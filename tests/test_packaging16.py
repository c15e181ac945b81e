"""A user of the installed package (a wheel, no repository): what ``rnnlab datasets``
points to exists, every shipped dataset has its source and licence note, and a core
install without the extras (statsmodels, scipy, properscoring, holidays, triton) runs
the panel commands, saying once which extra to install, and refuses what needs one
before making a run folder.

The missing extras are simulated in a subprocess by a meta-path finder that refuses to
import them (as for packages never installed), not only by ``sys.modules[name] = None``
(tests/test_install_sweep.py), so that nothing imported earlier by the test session hides
an import the core makes."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from pyproject_data import pyproject

ROOT = Path(__file__).parents[1]
BUILTIN = ROOT / "src" / "rnnlab" / "data" / "builtin"
EXTRAS = ("statsmodels", "scipy", "properscoring", "holidays", "triton")


def _tiny_panel(path: Path) -> Path:
    t = np.arange(30)
    pd.concat([pd.DataFrame({
        "unique_id": f"s{i}",
        "ds": pd.date_range("2010-01", periods=30, freq="MS").strftime("%Y-%m"),
        "y": (i + 1) * (10 + np.sin(2 * np.pi * t / 12)) + 0.1 * t}) for i in range(2)]
    ).to_csv(path, index=False)
    return path


def test_datasets_names_the_installed_licence_file(capsys, tmp_path, monkeypatch):
    """Before: ``sources and licences: rnnlab/data/builtin/README.md``, a path into the
    source tree that an installed package's user has not got (and that no folder of
    theirs holds). Now: the installed file itself."""
    monkeypatch.chdir(tmp_path)  # a user's folder, not the repository
    assert main(["datasets"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines()
                if x.startswith("sources and licences: "))
    path = Path(line.split(": ", 1)[1])
    assert path.is_absolute() and path.is_file(), line
    assert path.read_text().startswith("# Built-in data: sources and licences")


def test_every_shipped_data_file_has_its_source_and_licence_row():
    """A dataset file added to data/builtin without a row in its README's table (source,
    licence) would be redistributed with no note: every file is named in a row of four
    filled cells."""
    rows = [r for r in (BUILTIN / "README.md").read_text().splitlines() if r.startswith("| ")]
    files = sorted(p.name for p in BUILTIN.iterdir() if p.is_file() and p.name != "README.md")
    assert len(files) >= 8, files
    for name in files:
        row = next((r for r in rows if f"`{name}`" in r.split("|")[1]), None)
        assert row is not None, f"{name}: no row in data/builtin/README.md"
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 4 and all(cells), (name, cells)


def test_holiday_calendar_without_holidays_is_refused_before_the_run_folder(
        monkeypatch, tmp_path, capsys):
    """Before: ``rnnlab forecast --calendar holiday`` without the `holidays` package made
    the run folder, then failed inside training. Now: refused by the panel config, naming
    the extra, with no folder made (``rnnlab backtest`` alike)."""
    from rnnlab.extras import MissingExtraError
    from rnnlab.panel.config import PanelConfig

    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(MissingExtraError, match=r"'holiday' needs holidays.*rnnlab\[panel\]"):
        PanelConfig(calendar=("holiday",), country="AU")
    PanelConfig(calendar=("month",))  # the other calendar features need no extra
    data = _tiny_panel(tmp_path / "p.csv")
    for command in (["forecast"], ["backtest", "--first-origin", "6"]):
        out = tmp_path / command[0]
        assert main([*command, "--data", str(data), "--model", "lstm", "--horizon", "3",
                     "--calendar", "holiday", "--country", "AU", "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"rnnlab {command[0]}: error: calendar feature 'holiday' needs holidays" in err
        assert "pip install 'rnnlab[panel]'" in err and "Traceback" not in err
        assert not out.exists(), command


_BLOCKED_RUN = """
import importlib.abc, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {extras!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
import rnnlab, rnnlab.data, rnnlab.forecast, rnnlab.panel, rnnlab.lm, rnnlab.compare
from rnnlab.cli import main
rc = main(["backtest", "--data", {data!r}, "--horizon", "3", "--first-origin", "6",
           "--plot-series", "0", "--out", {out!r}])
print("rc", rc, "extras imported:", sorted(m for m in {extras!r} if m in sys.modules))
"""


def test_core_install_without_extras_runs_a_panel_backtest_saying_each_extra_once(tmp_path):
    """A fresh process in which the extras cannot be imported: the packages import, and
    ``rnnlab backtest`` (default seasonal naive, no training: about 1 s) scores without ETS
    and CRPS, saying so once each, naming the extra; no traceback. Before: the CRPS
    warning came once per table (3 times here, 6 on a real backtest)."""
    data = _tiny_panel(tmp_path / "p.csv")
    code = textwrap.dedent(_BLOCKED_RUN).format(extras=set(EXTRAS), data=str(data),
                                                out=str(tmp_path / "run"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "rc 0 extras imported: []" in done.stdout, done.stdout[-2000:]
    assert " ".join(done.stderr.split()).count(  # (its warnings wrapped at 80 columns too)
        "properscoring is not installed: CRPS left as NaN (pip install 'rnnlab[panel]')"
        ) == 1, done.stderr
    assert " ".join(done.stdout.split()).count(  # (its notes wrapped at 80 columns)
        "the ets baseline needs statsmodels, which is not installed: "
        "pip install 'rnnlab[panel]'") == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert (tmp_path / "run" / "summary.json").is_file()


@pytest.mark.parametrize("command", [
    ["forecast", "--data", "airline", "--model", "dt-rnn", "--epochs", "1"],
    ["lm", "train", "--corpus", "time-machine", "--model", "dt-rnn", "--epochs", "1"]])
def test_triton_impl_without_triton_is_refused_before_the_run_folder(
        monkeypatch, tmp_path, capsys, command):
    """Before: ``--impl triton`` without Triton wrote the run folder (cli.json,
    config.json), then the first fit failed. Now refused first, naming the extra."""
    monkeypatch.setitem(sys.modules, "triton", None)
    out = tmp_path / "run"
    assert main([*command, "--impl", "triton", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--impl triton needs triton, which is not installed: pip install 'rnnlab[triton]'" \
        in err and "Traceback" not in err
    assert not out.exists()


def test_triton_impl_on_a_cpu_only_machine_is_refused_before_the_run_folder(
        monkeypatch, tmp_path, capsys):
    """With Triton installed (``rnnlab[triton]``) but no CUDA device and no interpreter,
    ``--impl triton`` also wrote the run folder before the fit refused it."""
    import torch

    from rnnlab.nn.fast import triton_common

    if torch.cuda.is_available() or triton_common.triton is None:
        pytest.skip("needs a CPU-only machine with Triton installed")
    monkeypatch.setattr(triton_common, "_INTERPRETED", False)  # (conftest interprets)
    out = tmp_path / "run"
    assert main(["forecast", "--data", "airline", "--model", "dt-rnn", "--epochs", "1",
                 "--impl", "triton", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--impl triton cannot run here: Triton kernels need a CUDA device" in err
    assert not out.exists()


def test_the_package_version_has_one_source():
    """``rnnlab --version`` printed ``rnnlab.__version__`` while the wheel's metadata took
    pyproject's own ``version = "0.1.0"``: two places to bump, free to drift apart. Now
    the metadata reads ``rnnlab.__version__``."""
    cfg = pyproject()
    assert "version" not in cfg["project"] and "version" in cfg["project"]["dynamic"]
    assert cfg["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "rnnlab.__version__"}


def test_license_is_an_spdx_string_not_the_deprecated_table():
    """``license = { text = "MIT" }``: setuptools 84 warns that the table form is
    deprecated and that such builds are refused from 2027-02-18 on. Now the SPDX string
    (setuptools >= 77, which the build now requires), with the LICENSE file named."""
    cfg = pyproject()
    assert cfg["project"]["license"] == "MIT"
    assert cfg["project"]["license-files"] == ["LICENSE"] and (ROOT / "LICENSE").is_file()
    assert "setuptools>=77" in cfg["build-system"]["requires"]


@pytest.mark.parametrize("command", [["models"], ["recipes", "-v"], ["datasets"]])
def test_listings_name_no_file_the_installed_package_lacks(capsys, command):
    """A wheel ships the package and its data, not docs/, benchmarks/, BENCHMARKS.md or
    tests/: ``rnnlab models`` sent a pip user to ``docs/articles.md`` (gru-cho)."""
    import rnnlab

    assert main(command) == 0
    # the shipped files' own paths (`rnnlab datasets` names the data's README) are left out:
    # a checkout in a folder such as /work/wt/s18-docs read as naming docs/
    out = capsys.readouterr().out.replace(str(Path(rnnlab.__file__).parent), "<rnnlab>")
    for where in ("docs/", "benchmarks/", "BENCHMARKS.md", "tests/"):
        assert where not in out, (command, where)
