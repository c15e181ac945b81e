"""What a user gets from ``pip install rnnlab`` without the dev environment: every file the
package reads at run time is package data, every built-in dataset loads through
``importlib.resources``, and a feature whose optional package is missing says which extra
to install (``pip install 'rnnlab[panel]'``), before any training, instead of a raw
ImportError traceback or a table silently missing a baseline.

The missing packages are simulated with ``sys.modules[name] = None`` (an import then
fails as for an uninstalled package)."""

import fnmatch
import gzip
import json
import os
import subprocess
import sys
import warnings
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.cli import main
from rnnlab.extras import EXTRA_OF, MissingExtraError, install_hint, require
from rnnlab.io.errors import DataError, RnnlabError
from pyproject_data import pyproject

ROOT = Path(__file__).parents[1]
PKG = ROOT / "src" / "rnnlab"


def _package_data_patterns():
    cfg = pyproject()
    return cfg["tool"]["setuptools"]["package-data"]["rnnlab"]


def test_every_non_python_file_of_the_package_is_package_data():
    """A data file added under src/rnnlab without a package-data pattern would be missing
    from the wheel (and from a non-editable install): every one is matched."""
    patterns = _package_data_patterns()
    files = [p.relative_to(PKG).as_posix() for p in PKG.rglob("*")
             if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert files, "no data files found under src/rnnlab"
    unmatched = [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)]
    assert not unmatched, f"not in [tool.setuptools.package-data]: {unmatched}"


def test_every_builtin_dataset_reads_from_the_package_resources():
    """Each dataset, panel and corpus the registries name is a file of the installed
    package (importlib.resources, not the source tree) and loads."""
    from rnnlab.data.datasets import DATASETS
    from rnnlab.data.text import BUILTIN_CORPORA, load_corpus
    from rnnlab.panel.datasets import PANEL_DATASETS, load_panel, us_employment_titles

    builtin = resources.files("rnnlab") / "data" / "builtin"
    for name, d in PANEL_DATASETS.items():
        assert (builtin / d.file).is_file(), d.file
        panel = load_panel(name)
        assert len(panel.df) > 0 and panel.df["y"].notna().all(), name
    assert len(us_employment_titles()) == 148
    for name, (file, _) in BUILTIN_CORPORA.items():
        assert (builtin / file).is_file(), file
        gzip.decompress((builtin / file).read_bytes())  # a whole gzip file
    assert load_corpus("time-machine").startswith("The Time Machine")
    for name, d in DATASETS.items():
        s = d.load()
        assert len(s.values) > 100 and np.isfinite(s.values).all(), name
    assert (builtin / "README.md").is_file()  # sources and licences, named by `rnnlab datasets`


def test_missing_extra_error_is_both_rnnlab_error_and_import_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsmodels", None)
    with pytest.raises(MissingExtraError) as e:
        require("statsmodels", "the ETS baseline")
    assert isinstance(e.value, RnnlabError) and isinstance(e.value, ImportError)
    assert "pip install 'rnnlab[panel]'" in str(e.value) and e.value.name == "statsmodels"
    assert install_hint("triton.language") == "pip install 'rnnlab[triton]'"
    # every module the extras map is declared in that extra of pyproject.toml
    extras = pyproject()["project"][
        "optional-dependencies"]
    for module, extra in EXTRA_OF.items():
        if module == "scipy":  # brought by statsmodels
            continue
        dist = {"yaml": "pyyaml"}.get(module, module)  # (its distribution's name)
        assert any(r.startswith(dist) for r in extras[extra]), (module, extra)


class _Recorder:
    """A panel model that records whether it was fitted (the backtest protocol)."""

    fitted = 0

    def fit(self, panel, static=None):
        _Recorder.fitted += 1
        return self

    def predict(self, horizon, future=None, history=None):
        raise AssertionError("not reached")


def _tiny_panel(path=None, n_series=2, length=30):
    t = np.arange(length)
    df = pd.concat([pd.DataFrame({
        "unique_id": f"s{i}", "ds": pd.date_range("2010-01", periods=length, freq="MS"),
        "y": (i + 1) * (10 + np.sin(2 * np.pi * t / 12)) + 0.1 * t}) for i in range(n_series)])
    if path is not None:
        df.assign(ds=df["ds"].dt.strftime("%Y-%m")).to_csv(path, index=False)
        return path
    return df


def test_backtest_with_ets_and_no_statsmodels_refuses_before_training(monkeypatch):
    """Before: the model trained (minutes on a real panel), then ETS raised a raw
    ImportError. Now: refused before any fit, naming the extra and what else to do."""
    from rnnlab.panel import read_panel
    from rnnlab.panel.backtest import backtest

    monkeypatch.setitem(sys.modules, "statsmodels", None)
    _Recorder.fitted = 0
    with pytest.raises(MissingExtraError, match=r"pip install 'rnnlab\[panel\]'.*leave 'ets'"):
        backtest(_Recorder, read_panel(_tiny_panel()), horizon=3, first_origin=6, stride=3,
                 baselines=("naive", "ets"))
    assert _Recorder.fitted == 0
    from rnnlab.panel.baselines import ETS

    with pytest.raises(MissingExtraError, match="rnnlab.panel"):
        ETS().fit(read_panel(_tiny_panel()))


def test_forecaster_backtest_default_baselines_name_the_extra(monkeypatch):
    """The one-series Forecaster.backtest (core install) defaults to naive, seasonal naive
    and ETS: without statsmodels it says so before training."""
    from rnnlab.forecast import Forecaster

    monkeypatch.setitem(sys.modules, "statsmodels", None)
    with pytest.raises(MissingExtraError, match=r"rnnlab\[panel\]"):
        Forecaster("lstm", lookback=12, horizon=12, epochs=1).backtest(
            "airline", first_origin=36, stride=12)


def test_cli_backtest_without_statsmodels(monkeypatch, tmp_path, capsys):
    """``rnnlab backtest``: the default --baselines leave ETS out with a note (stdout and
    summary.json); a typed ``--baselines ...,ets`` or ``--model ets`` is refused naming the
    extra, with no run directory made; never a traceback."""
    monkeypatch.setitem(sys.modules, "statsmodels", None)
    data = _tiny_panel(tmp_path / "p.csv")
    common = ["backtest", "--data", str(data), "--horizon", "3", "--first-origin", "6",
              "--plot-series", "0"]
    out = tmp_path / "run"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # properscoring may be missing too (CRPS: NaN)
        assert main([*common, "--model", "seasonal_naive", "--out", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # (its notes wrapped at 80 columns)
    assert "note: left out of the table: the ets baseline needs statsmodels" in printed
    assert "pip install 'rnnlab[panel]'" in printed
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["baselines_left_out"]) == {"ets"}
    assert [m["model"] for m in summary["models"]] == ["seasonal_naive", "naive"]
    for extra in (["--baselines", "naive,ets"], ["--model", "ets"]):
        bad = tmp_path / f"bad{len(extra[1])}"
        assert main([*common, *extra, "--out", str(bad)]) == 1
        err = capsys.readouterr().err
        assert "rnnlab backtest: error: the ets baseline needs statsmodels" in err
        assert "pip install 'rnnlab[panel]'" in err and "Traceback" not in err
        assert not bad.exists()


def test_cli_panel_forecast_without_statsmodels_leaves_ets_out_with_a_note(
        monkeypatch, tmp_path, capsys):
    """``rnnlab forecast`` on a panel (no --baselines typed): ETS left out, said under the
    table and in metrics.json. Before: a raw ImportError traceback after training."""
    monkeypatch.setitem(sys.modules, "statsmodels", None)
    data = _tiny_panel(tmp_path / "p.csv")
    out = tmp_path / "run"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["forecast", "--data", str(data), "--model", "seasonal_naive",
                     "--horizon", "3", "--out", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # (its notes wrapped at 80 columns)
    assert "note: left out of the table: the ets baseline needs statsmodels" in printed
    metrics = json.loads((out / "metrics.json").read_text())
    assert "rnnlab[panel]" in metrics["baselines_left_out"]["ets"]
    assert {m["model"] for m in metrics["models"]} == {"seasonal_naive", "naive"}


def test_crps_without_properscoring_names_the_extra(monkeypatch):
    from rnnlab.panel import crps as crps_module, metrics as M

    monkeypatch.setitem(sys.modules, "properscoring", None)
    monkeypatch.setattr(crps_module, "_crps_missing_said", False)  # given once per process
    with pytest.raises(MissingExtraError, match=r"CRPS needs properscoring.*rnnlab\[panel\]"):
        M.crps([1.0], [[0.5, 1.0, 1.5]], (0.1, 0.5, 0.9))
    with pytest.warns(UserWarning, match=r"CRPS left as NaN \(pip install 'rnnlab\[panel\]'\)"):
        out = M._crps_or_nan(np.array([1.0]), np.array([[0.5, 1.0, 1.5]]), (0.1, 0.5, 0.9))
    assert np.isnan(out).all()


def test_holiday_feature_without_holidays_names_the_extra(monkeypatch):
    from rnnlab.panel.calendar import _holidays

    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(DataError, match=r"pip install 'rnnlab\[panel\]'"):
        _holidays(pd.date_range("2020-01-01", periods=3), "AU")


def test_triton_missing_names_the_extra(monkeypatch):
    import torch

    from rnnlab.nn.fast import triton_common

    monkeypatch.setattr(triton_common, "triton", None)
    reason = triton_common.unavailable_reason(torch.zeros(2, 3))
    assert "pip install 'rnnlab[triton]'" in reason


def test_import_rnnlab_and_extras_import_nothing_heavy():
    """``import rnnlab`` and ``rnnlab.extras`` (imported by error paths) load no torch,
    pandas, matplotlib or optional package."""
    code = ("import sys, rnnlab, rnnlab.extras; heavy = ('torch', 'pandas', 'numpy', "
            "'matplotlib', 'statsmodels', 'scipy', 'triton', 'holidays', 'properscoring'); "
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, check=True).stdout
    assert out.strip() == "[]"


def _build(tmp_path, kind: str) -> Path:
    """Build the sdist or the wheel from a copy of the repository's tracked inputs (the
    build writes an .egg-info folder: not into the working tree)."""
    import shutil

    pytest.importorskip("setuptools")
    src = tmp_path / "repo"
    for name in ("src", "tests", "docs", "benchmarks"):
        shutil.copytree(ROOT / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "MANIFEST.in", "Makefile", "BENCHMARKS.md",
                 "LICENSE"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, src / name)
    out = tmp_path / "dist"
    code = (f"import sys; from setuptools import build_meta as b; "
            f"print(b.build_{kind}({str(out)!r}))")
    done = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return out / done.stdout.strip().splitlines()[-1]


def _package_files():
    return sorted(p.relative_to(ROOT / "src").as_posix() for p in PKG.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def test_sdist_holds_what_builds_and_tests_the_package(tmp_path):
    """The sdist holds the package with its data, README, and the whole tests/ folder
    (before: test_*.py without conftest.py and the helpers they import) and docs/; and the
    benchmark scripts the tests run or read (before: left out, so from an unpacked sdist
    test_review_lib's to_markdown.py run and test_user_sweep_docs' SCALING.md read failed),
    without their results."""
    import tarfile

    with tarfile.open(_build(tmp_path, "sdist")) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    needed = {"pyproject.toml", "README.md", "tests/conftest.py", "tests/forecast_series.py",
              "tests/reliability/train_script.py", "docs/bptt.md", "docs/articles.md",
              "LICENSE", "BENCHMARKS.md", "benchmarks/SCALING.md", "benchmarks/run_cpu.sh"}
    needed |= {f"src/{f}" for f in _package_files()}
    needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "benchmarks").glob("*.py")}
    assert not needed - names, sorted(needed - names)[:10]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith("benchmarks/results")]


def test_wheel_holds_every_module_and_data_file(tmp_path):
    import zipfile

    with zipfile.ZipFile(_build(tmp_path, "wheel")) as whl:
        names = set(whl.namelist())
    missing = [f for f in _package_files() if f not in names]
    assert not missing, missing[:10]
    assert not [n for n in names if n.startswith("tests/")]


def test_declared_torch_floor_has_the_apis_rnnlab_calls():
    """``torch>=2.2`` was declared, but torch 2.3 fails on the first forward
    (``torch.is_autocast_enabled(device_type)`` takes its argument from 2.4 on; 2.2 also
    lacks ``torch.compiler.is_compiling``). The floor is the oldest torch the install sweep
    ran (2.4.1, with numpy 1.24, pandas 2.0, matplotlib 3.7, safetensors 0.4, tqdm 4.60;
    numpy 1.24.1 and safetensors 0.4.4 since: tests/test_packaging21.py)."""
    deps = pyproject()["project"]["dependencies"]
    floor = next(d for d in deps if d.startswith("torch")).split(">=")[1]
    assert tuple(int(x) for x in floor.split(".")[:2]) >= (2, 4), floor


def test_import_rnnlab_nn_and_a_forward_leave_torch_dynamo_unimported():
    """``@torch.compiler.disable`` on the fused call imported torch._dynamo (1.6-2 s, as long
    as torch itself) into every ``import rnnlab.nn``; torch.nn.LSTM imports it only under
    torch.compile, and so does rnnlab now (the compile path: tests/test_fast_paths.py)."""
    code = ("import sys, torch; import rnnlab.nn as nn; a = 'torch._dynamo' in sys.modules; "
            "nn.LSTM(4, 8, num_layers=2)(torch.randn(3, 5, 4)); "
            "nn.GRU(4, 8, bidirectional=True)(torch.randn(3, 5, 4)); "
            "print(a, 'torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["False", "False"]


def test_readme_says_the_python_backtest_raises_where_the_commands_leave_ets_out(monkeypatch):
    """The README said ETS "is left out of the tables" without the panel extra, which only
    the commands do: Forecaster.backtest() (default baselines with "ets") raises. It now
    says both, and the way out it gives (baselines without "ets") runs."""
    from rnnlab.forecast import Forecaster

    text = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(
        encoding="utf-8").split())
    assert "the commands (`rnnlab backtest`, `rnnlab forecast` on a panel) leave the ETS" in text
    assert ("`Forecaster.backtest()` and `GlobalForecaster.backtest()`, whose default "
            "`baselines` include `\"ets\"`, raise `rnnlab.extras.MissingExtraError`") in text
    assert 'pass `baselines=("naive", "seasonal_naive")` to run without it' in text
    monkeypatch.setitem(sys.modules, "statsmodels", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # properscoring may be missing too (CRPS: NaN)
        result = Forecaster("lstm", lookback=12, horizon=12, epochs=1, hidden_size=4).backtest(
            "airline", first_origin=24, stride=12, baselines=("naive", "seasonal_naive"))
    assert set(result.summary()["model"]) == {"model", "naive", "seasonal_naive"}
