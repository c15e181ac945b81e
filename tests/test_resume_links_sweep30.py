"""A resume goes on only in a run folder that holds no link, on every route.

``rnnlab forecast --resume`` of one series refuses a run whose ``config.json`` the user made
a link (``ln -s ../shared.json config.json``), naming it, before anything is written:
rnnlab writes only inside the run directory (README). A panel forecast's resume and a
backtest's (``--resume``, or the same command alone going on from a killed run's folds)
went on and rewrote config.json over the link: the link became a file (written through
it instead, the user's shared file would have been overwritten with this run's record).
They are refused as the one-series resume is, the link and the file it leads to left as
they were."""

from __future__ import annotations

import os

import pytest

from rnnlab.cli import main


def _linked(out) -> bytes:
    """``out/config.json`` moved beside the run as ``shared.json`` and linked back; its bytes."""
    shared = out.parent / "shared.json"
    os.replace(out / "config.json", shared)
    os.symlink(os.path.join("..", "shared.json"), out / "config.json")
    return shared.read_bytes()


def _refused_as_found(out, kept: bytes, rc: int, err: str) -> None:
    assert rc == 1, err
    assert f"{out / 'config.json'}: is a link (to {os.path.join('..', 'shared.json')})" in err
    assert "Remove the link (or copy what it points to into its place)" in err, err
    assert (out / "config.json").is_symlink()  # (was a file: the resume's record)
    assert (out.parent / "shared.json").read_bytes() == kept


def test_a_one_series_forecasts_resume_refuses_a_linked_config_json(tmp_path, capsys):
    from rnnlab.io.command_line import running
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir

    out = tmp_path / "run"
    with running(["forecast", "--data", "airline", "--epochs", "1", "--out", str(out)]):
        prepare_run_dir(out)
        (out / "config.json").write_text("{}")
        finish_run_dir(out)
    kept = _linked(out)
    rc = main(["forecast", "--resume", str(out), "--epochs", "2"])
    _refused_as_found(out, kept, rc, capsys.readouterr().err)


def _panel_csv(tmp_path):
    rows = ["unique_id,ds,y"] + [f"{s},2020-{m:02d}-01,{10 + m + 3 * (m % 4) + k}"
                                 for s, k in (("a", 0), ("b", 5)) for m in range(1, 13)]
    path = tmp_path / "panel.csv"
    path.write_text("\n".join(rows) + "\n")
    return str(path)


@pytest.mark.slow  # (a panel network's run: about 8 s)
def test_a_panel_forecasts_resume_refuses_a_linked_config_json(tmp_path, capsys):
    out = tmp_path / "run"
    cmd = ["forecast", "--data", _panel_csv(tmp_path), "--model", "gru", "--hidden-size", "4",
           "--lookback", "4", "--horizon", "2", "--epochs", "1", "--batches-per-epoch", "2",
           "--batch-size", "8", "--baselines", "none", "--threads", "1", "--out", str(out),
           "-q"]
    assert main(cmd) == 0, capsys.readouterr().err
    kept = _linked(out)
    capsys.readouterr()
    rc = main([*cmd, "--resume"])  # (went on, and config.json became a file)
    _refused_as_found(out, kept, rc, capsys.readouterr().err)


def _backtest(tmp_path, out):
    return ["backtest", "--data", _panel_csv(tmp_path), "--model", "naive", "--baselines",
            "none", "--horizon", "2", "--first-origin", "4", "--stride", "2", "--plot-series",
            "0", "--no-progress", "--out", str(out)]


def test_a_backtests_resume_refuses_a_linked_config_json(tmp_path, capsys):
    out = tmp_path / "bt"
    assert main(_backtest(tmp_path, out)) == 0
    kept = _linked(out)
    capsys.readouterr()
    rc = main([*_backtest(tmp_path, out), "--resume"])
    _refused_as_found(out, kept, rc, capsys.readouterr().err)


@pytest.mark.parametrize("linked", [True, False])
def test_a_killed_backtest_going_on_alone_refuses_a_linked_config_json(tmp_path, capsys,
                                                                       monkeypatch, linked):
    from test_interrupt19 import _full_disk_on

    out = tmp_path / "bt"
    _full_disk_on(monkeypatch, lambda dst: dst.endswith("summary.csv"))  # (the kill)
    assert main(_backtest(tmp_path, out)) == 1
    monkeypatch.undo()
    kept = _linked(out) if linked else b""
    capsys.readouterr()
    rc = main(_backtest(tmp_path, out))  # (the same command: goes on from its folds)
    err = capsys.readouterr().err
    assert ("it goes on from its 2 finished folds" in err) is not linked, err  # (the note
    # said the run went on, and the refusal followed it)
    if linked:
        _refused_as_found(out, kept, rc, err)
    else:  # (as before)
        assert rc == 0 and (out / "summary.json").is_file(), err


def test_a_backtest_with_no_link_resumes_as_before(tmp_path, capsys):
    out = tmp_path / "bt"
    assert main(_backtest(tmp_path, out)) == 0
    assert main([*_backtest(tmp_path, out), "--resume"]) == 0, capsys.readouterr().err
    assert not (out / "config.json").is_symlink() and (out / "summary.json").is_file()
