"""The hostile list (``hostile_list.py``) as tests: a fast subset in the default suite, the
whole sweep marked slow, and the regression tests of what the sweep found."""

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile_list as H  # noqa: E402

from rnnlab.cli import main  # noqa: E402

BAD = ("traceback", "silently wrong", "hang", "data lost", "unclear failure")
FAST = ("--version", "forecast csv: utf16 csv", "models --hidden-size huge")


def _cases(names):
    by_name = {c.name: c for c in H.build_cases()}
    return [by_name[n] for n in names]


def test_the_list_covers_every_command_with_over_a_hundred_cases():
    cases = H.build_cases()
    assert len(cases) >= 100
    assert len({c.name for c in cases}) == len(cases)  # names select cases (-k)
    firsts = {c.args[0] for c in cases if c.args}
    assert {"forecast", "lm", "compare", "recipe", "bench", "models", "datasets", "backtest",
            "--version", "--help"} <= firsts
    words = {" ".join(c.args[:2]) for c in cases}
    assert {"lm prepare", "lm train", "lm eval", "lm generate"} <= words
    assert any("--run" in c.args for c in cases) and any("--resume" in c.args for c in cases)


@pytest.mark.parametrize("case", _cases(FAST), ids=lambda c: c.name)
def test_fast_subset_of_the_hostile_list(case, tmp_path):
    outcome, detail, _ = H.run_case(case, tmp_path)
    assert outcome in ("clear error", "correct"), f"{case.name}: {outcome}: {detail}"


@pytest.mark.slow
def test_whole_hostile_list_has_no_traceback_wrong_result_hang_or_loss(tmp_path):
    results = H.sweep(H.build_cases(), tmp_path, workers=2)
    bad = [(c.name, o, d) for c, o, d in results if o in BAD]
    assert not bad, "\n".join(f"{o}: {n}: {d}" for n, o, d in bad)


# ---------------------------------------------------------------- regressions
def test_a_size_beyond_memory_is_a_message_not_a_traceback(capsys):
    # before: RuntimeError "DefaultCPUAllocator: can't allocate memory" as a traceback
    assert main(["models", "--hidden-size", "99999999999"]) == 1  # the machine, not the option
    err = capsys.readouterr().err
    assert "out of memory" in err and "smaller" in err


def test_mixed_frequency_dates_are_said_to_be_irregular():
    # before: a monthly-then-daily series trained as evenly spaced steps without a word
    from rnnlab.data.series import load_series

    idx = list(pd.date_range("2000-01-01", periods=36, freq="MS")) + \
        list(pd.date_range("2003-01-02", periods=28, freq="D"))
    s = load_series(pd.DataFrame({"date": idx, "value": np.arange(64.0)}))
    assert s.freq is None and "no single frequency" in s.gap_note()
    regular = load_series(pd.DataFrame({"date": idx[:36], "value": np.arange(36.0)}))
    assert regular.gap_note() is None


TINY = ["--epochs", "1", "--ensemble", "1", "--hidden-size", "4", "--threads", "1",
        "--no-progress"]


@pytest.mark.parametrize("out", ["under_a_file/run", "/sys/rnnlab-hostile-test"])
def test_an_out_that_cannot_be_made_is_a_message(out, tmp_path, monkeypatch, capsys):
    # before: NotADirectoryError / PermissionError (EPERM) as tracebacks
    monkeypatch.chdir(tmp_path)
    (tmp_path / "under_a_file").write_text("mine")
    if out.startswith("/sys") and (not Path("/sys").is_dir() or os.access("/sys", os.W_OK)
                                   and _can_mkdir(out)):
        pytest.skip("no unwritable folder to try here")
    assert main(["forecast", "--data", "airline", "--out", out, *TINY]) == 1
    err = capsys.readouterr().err
    assert ("cannot use" in err or "choose another --out" in err) and "error" in err
    assert (tmp_path / "under_a_file").read_text() == "mine"


def _can_mkdir(path):
    try:
        os.mkdir(path)
    except OSError:
        return False
    os.rmdir(path)
    return True


def test_a_hidden_size_whose_bytes_overflow_is_a_message(tmp_path, monkeypatch, capsys):
    # before: RuntimeError "Storage size calculation overflowed" as a traceback
    monkeypatch.chdir(tmp_path)
    assert main(["forecast", "--data", "airline", "--out", "o", *TINY,
                 "--hidden-size", "99999999999"]) == 2  # the config refuses it: a usage error
    err = capsys.readouterr().err  # (now refused when the config is checked, naming the size)
    assert "hidden_size=99999999999" in err and "too large" in err and "Traceback" not in err


def test_an_ensemble_that_never_ends_is_refused_up_front():
    # before: --ensemble 99999999999 trained member after member (a hang)
    from rnnlab.forecast.config import MAX_ENSEMBLE, ForecastConfig
    from rnnlab.io.errors import RnnlabError

    ForecastConfig(ensemble=MAX_ENSEMBLE)
    with pytest.raises((RnnlabError, ValueError), match="between 1 and"):
        ForecastConfig(ensemble=99999999999)


def test_forecast_run_output_never_replaces_a_file_of_the_run(tmp_path, monkeypatch, capsys):
    # before: --output RUN/model/model.json --overwrite replaced the model with a CSV
    monkeypatch.chdir(tmp_path)
    assert main(["forecast", "--data", "airline", "--out", "run", *TINY]) == 0
    model = tmp_path / "run" / "model" / "model.json"
    before = model.read_bytes()
    assert main(["forecast", "--run", "run", "--output", str(model), "--overwrite"]) == 1
    assert "file of the run" in capsys.readouterr().err
    assert model.read_bytes() == before
    assert main(["forecast", "--run", "run", "--output", "run/next.csv"]) == 0  # a new file
    assert (tmp_path / "run" / "next.csv").is_file()


def test_lm_prepare_refuses_a_one_character_text(tmp_path):
    # before: "prepared 1 characters (1 for training)", exit 0: a corpus nothing can learn
    from rnnlab.data.corpus_mmap import prepare_corpus
    from rnnlab.io.errors import DataError

    (tmp_path / "o.txt").write_text("a")
    with pytest.raises(DataError, match="at least 2"):
        prepare_corpus(tmp_path / "o.txt", tmp_path / "p")
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())
    (tmp_path / "two.txt").write_text("ab")
    prepare_corpus(tmp_path / "two.txt", tmp_path / "q")


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_corpus_that_is_not_a_regular_file_is_refused_at_once(special, tmp_path):
    # before: `lm train --corpus /dev/zero` read without end (a hang, memory growing), and a
    # FIFO blocked; run in a child with a time and memory cap, so the old code fails fast
    import subprocess

    if special == "fifo":
        special = str(tmp_path / "f.txt")
        os.mkfifo(special)
    elif not Path(special).exists():
        pytest.skip("no /dev/zero here")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
            "from rnnlab.data.text import load_corpus\n"
            "from rnnlab.io.errors import DataError\n"
            "try:\n    load_corpus(sys.argv[1])\nexcept DataError as e:\n    print(e)\n")
    import rnnlab

    env = dict(os.environ, PYTHONPATH=str(Path(rnnlab.__file__).parents[1]))
    try:
        p = subprocess.run([sys.executable, "-c", code, special], capture_output=True,
                           text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"load_corpus({special!r}) did not return in 60 s")
    assert "not a regular file" in p.stdout, p.stderr[-500:]


def test_python_dash_m_rnnlab_runs_the_cli():
    # before: "No module named rnnlab.__main__"
    import importlib.util

    assert importlib.util.find_spec("rnnlab.__main__") is not None


def test_bench_json_never_replaces_a_file_of_the_users(tmp_path, capsys):
    # before: `rnnlab bench --json data.csv` replaced data.csv with the results
    mine = tmp_path / "data.csv"
    mine.write_text("date,value\n2020-01-01,1\n")
    bench = ["bench", "--configs", "C3", "--models", "lstm", "--repeats", "1", "--warmup",
             "0", "--threads", "1"]
    assert main(bench + ["--json", str(mine)]) == 1
    assert "not a results file" in capsys.readouterr().err
    assert mine.read_text() == "date,value\n2020-01-01,1\n"
    assert main(bench + ["--row-seconds", "nan"]) == 2  # before: nan accepted (no cap)
    assert "row-seconds must be > 0" in capsys.readouterr().err


def test_backtest_max_seconds_nan_is_refused(capsys):
    # before: --max-seconds nan accepted (a time limit that never applies)
    assert main(["backtest", "--data", "p.csv", "--horizon", "3", "--max-seconds", "nan"]) == 2
    assert "finite number > 0" in capsys.readouterr().err


def test_backtest_says_which_short_series_it_leaves_out():
    # before: a series too short for an origin vanished from the backtest without a word
    from rnnlab.panel.backtest import backtest
    from rnnlab.panel.frame import read_panel

    rows = [("a", d, 10.0 + d % 7) for d in range(30)] + [("c", 0, 3.0)]
    df = pd.DataFrame(rows, columns=["unique_id", "t", "y"])
    df["ds"] = pd.Timestamp("2020-01-01") + pd.to_timedelta(df["t"], unit="D")
    panel = read_panel(df[["unique_id", "ds", "y"]])
    with pytest.warns(UserWarning, match="left out there: c"):
        r = backtest(None, panel, horizon=3, baselines=["naive"])
    assert set(r.forecasts["unique_id"]) == {"a"}
