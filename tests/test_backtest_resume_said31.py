"""Session 31: what a resumed backtest says of the versions and threads it runs under.
Every fold already kept, nothing is computed again: it warned all the same that the folds
computed now may differ (none are). A network's fit resumed on other threads inside it
said so twice: the backtest's BacktestResumeWarning and the fit's own note."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from rnnlab.panel.backtest import backtest
from rnnlab.panel.backtest_versions import BacktestResumeWarning
from test_backtest_resume29 import Killed, kill_after
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2, baselines=("naive",))


def _other_versions(ck) -> None:
    path = ck / "versions.json"
    kept = json.loads(path.read_text(encoding="utf-8"))
    kept = {k: v for k, v in kept.items() if k != "_sha256"}
    path.write_text(json.dumps({**kept, "rnnlab": "0.0.9"}), encoding="utf-8")


def test_a_resume_with_every_fold_kept_does_not_warn(tmp_path):
    with pytest.raises(Killed):  # (killed after its last fold was kept)
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("naive: origin 3/3"), **OPTS)
    _other_versions(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BacktestResumeWarning)
        resumed = backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    pd.testing.assert_frame_equal(resumed.forecasts, backtest(None, tiny_frame(),
                                                              **OPTS).forecasts)
    kept = json.loads((tmp_path / "versions.json").read_text(encoding="utf-8"))
    assert "resumed_under" not in kept  # (no fold computed under these: none recorded)


def test_a_resume_with_a_fold_to_compute_still_warns(tmp_path):
    with pytest.raises(Killed):
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path,
                 progress=kill_after("naive: origin 2/3"), **OPTS)
    _other_versions(tmp_path)
    with pytest.warns(BacktestResumeWarning, match="rnnlab 0.0.9") as said:
        backtest(None, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    assert len([w for w in said if w.category is BacktestResumeWarning]) == 1
    assert said[0].filename == __file__  # (the line that called backtest)


def killed_in_first_fit(tmp_path, monkeypatch) -> list:
    """A backtest of a small GRU into ``tmp_path``, killed in its first fit once its first
    epoch's checkpoint is kept; returns its models, to resume."""
    import functools

    from rnnlab.panel import GlobalForecaster, backtest_models
    from test_panel_backtest_models28 import TINY

    net = [GlobalForecaster("gru", **{**TINY, "epochs": 3})]
    real = GlobalForecaster.fit

    @functools.wraps(real)
    def fit(self, panel, *a, **kw):
        def on_epoch(epoch, record):
            if epoch == 2:  # (the first epoch's checkpoint kept)
                raise Killed
        return real(self, panel, *a, on_epoch=on_epoch, **kw)
    monkeypatch.setattr(GlobalForecaster, "fit", fit)
    with pytest.raises(Killed):
        backtest_models(net, tiny_frame(), checkpoint_dir=tmp_path, **OPTS)
    monkeypatch.undo()
    assert (tmp_path / "fits" / "gru" / "origin0" / "member0" / "latest.json").is_file()
    return net


def test_a_network_fit_resumed_on_other_threads_is_said_once(tmp_path, monkeypatch, capsys):
    """Killed in the first fit's training, resumed on another count of threads: the
    backtest's warning says so, and the fit's own note ("written by threads ...") no
    more."""
    import torch

    from rnnlab.panel import backtest_models

    net = killed_in_first_fit(tmp_path, monkeypatch)
    capsys.readouterr()
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(before + 1)
        with pytest.warns(BacktestResumeWarning, match=rf"threads {before} \(now") as said:
            backtest_models(net, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    finally:
        torch.set_num_threads(before)
    err = capsys.readouterr().err
    assert "resuming from the checkpoint" in err  # (the fit went on from it)
    assert "may not match an uninterrupted" not in err, err  # (was: said again by the fit)
    assert len([w for w in said if w.category is BacktestResumeWarning]) == 1
