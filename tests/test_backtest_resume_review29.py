"""Review of the backtest's checkpoints (session 29, rnnlab.panel.backtest_checkpoints):
what a resume must refuse or keep apart so that a resumed run never mixes folds of
another model or setting into the uninterrupted run's tables."""

from __future__ import annotations

import pandas as pd

from rnnlab.panel.backtest import backtest
from rnnlab.panel.baselines import Naive
from test_panel_backtest_models28 import tiny_frame

OPTS = dict(horizon=2, first_origin=6, stride=2)


def test_labels_differing_only_in_case_keep_their_folds_apart(tmp_path):
    # was: folds/LSTM and folds/lstm, one folder on a case-insensitive file system
    # (macOS, Windows): the second model's folds overwrote, or were read as, the first's
    res = backtest({"Naive": Naive(), "naive": Naive(), "con": Naive(), "x.": Naive()},
                   tiny_frame(), checkpoint_dir=tmp_path, baselines=(), **OPTS)
    assert list(pd.unique(res.forecasts["model"])) == ["Naive", "naive", "con", "x."]
    names = [p.name for p in (tmp_path / "folds").iterdir()]
    assert len({n.lower() for n in names}) == 4, names
    assert not {"con", "x."} & {n.lower() for n in names}  # (Windows' reserved, stripped)
    assert all(n == n.lower() for n in names), names
