"""Review of session 31's backtest leftovers (bt31): what a resumed backtest says of the
versions it runs under, and its kept folds' missing cells."""

from __future__ import annotations

import pytest

from rnnlab.panel.backtest_versions import BacktestResumeWarning
from test_backtest_resume_said31 import OPTS, killed_in_first_fit
from test_panel_backtest_models28 import tiny_frame


def test_a_damaged_versions_record_leaves_the_fits_own_note(tmp_path, monkeypatch, capsys):
    """versions.json damaged, the backtest's warning can say only that what its folds were
    computed with is unknown; the resumed fit's note is then the one line naming what
    differs ("written by threads 1 (now 2)"), and it was left out as said already."""
    import torch

    from rnnlab.panel import backtest_models

    net = killed_in_first_fit(tmp_path, monkeypatch)
    (tmp_path / "versions.json").write_text("{ damaged", encoding="utf-8")
    capsys.readouterr()
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(before + 1)
        with pytest.warns(BacktestResumeWarning, match="is unknown"):
            backtest_models(net, tiny_frame(), checkpoint_dir=tmp_path, resume=True, **OPTS)
    finally:
        torch.set_num_threads(before)
    err = capsys.readouterr().err
    assert "resuming from the checkpoint" in err, err  # (the fit went on from it)
    assert f"threads {before} (now {before + 1})" in err, err  # (was: not said at all)
    assert "may not match an uninterrupted" in err, err


@pytest.mark.parametrize("gap", [None, "NA", "NaT", "nan"])
def test_a_text_columns_one_kind_of_missing_cell_reads_back_as_written(tmp_path, gap):
    """An object column of text whose missing cells are all of one kind: pandas 3 read
    the record's object array back as its ``str`` dtype, whose missing value is NaN, so
    None and <NA> came back as NaN (the session 31 test mixed the kinds, which kept
    the array as objects)."""
    import numpy as np
    import pandas as pd

    from rnnlab.panel.fold_records import read_fold, write_fold

    cell = {None: None, "NA": pd.NA, "NaT": pd.NaT, "nan": np.nan}[gap]
    frame = pd.DataFrame({"t": pd.Series(["a", cell, "b"], dtype=object),
                          "s": pd.Series(["x", "y", "z"], dtype=object)})
    write_fold(tmp_path / "f.npz", frame, {})
    got, _ = read_fold(tmp_path / "f.npz")
    pd.testing.assert_frame_equal(got, frame)
    assert [type(v) for v in got["t"]] == [type(v) for v in frame["t"]]


def test_a_record_whose_mask_and_cells_disagree_is_a_checkpoint_error(tmp_path):
    """A kept fold edited or written by another program, its mask of missing cells longer
    than the column: an IndexError's traceback, where the record's other damage is a
    CheckpointError saying to delete it (the fold is then computed again)."""
    import io
    import json

    import numpy as np

    from rnnlab.io.errors import CheckpointError
    from rnnlab.panel.fold_records import read_fold

    buf = io.BytesIO()
    np.savez(buf, c0=np.array(["a", "b"]), **{"__missing__:0": np.array([False, True, True])},
             __header__=np.array(json.dumps({"columns": ["t"], "dtypes": ["object"]})))
    (tmp_path / "origin0.npz").write_bytes(buf.getvalue())
    with pytest.raises(CheckpointError, match=r"origin0\.npz.*delete it"):
        read_fold(tmp_path / "origin0.npz")
