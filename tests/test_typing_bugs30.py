"""Bugs the session-30 typing pass found (each a value mypy saw could be None, or of the
wrong type, where the code used it): each test fails on the code before its fix."""

import pytest
import torch

from rnnlab.compare.as_written import dji, dji_setup


def test_four_model_loop_of_no_epochs_says_no_gradient():
    # sum() over no gradients is the int 0, which torch.sqrt refused (TypeError)
    torch.manual_seed(0)
    stale = dji_setup.ArticleNet("DRNN")
    trainer = torch.optim.Adam(stale.parameters(), 1e-3)
    X, Y = torch.zeros(4, 16, 1), torch.zeros(4, 16)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=2)
    f = dji.four_models_as_written(trainer, loader, epochs=0)
    assert f["grad_norm"] == [0.0, 0.0, 0.0, 0.0]
    assert f["max_weight_change"] == [0.0, 0.0, 0.0, 0.0]


def test_write_failure_of_another_errno_is_said_not_a_key_error():
    # describe_write_failure looked its errno up in WRITE_ERRNOS: KeyError for any other
    # (mypy: an OSError's errno may be None, or not in the table)
    import errno

    from rnnlab.io.write_failure import describe_write_failure

    said = describe_write_failure(PermissionError(errno.EACCES, "Permission denied", "f.csv"),
                                  None, "forecast")
    assert said.startswith("cannot write f.csv: Permission denied.")
    bare = describe_write_failure(OSError("no errno"), None, "forecast")
    assert "no errno" in bare and "run the command again" in bare


def test_fixed_step_is_the_length_pandas_gives_where_steps_have_one():
    import pandas as pd
    from pandas.tseries.frequencies import to_offset

    from rnnlab.data.frequency import fixed_step

    for name in ("h", "15min", "s", "D", "2D"):
        assert fixed_step(to_offset(name)) == pd.Timedelta(to_offset(name)), name
    for name in ("MS", "W", "W-SUN", "B", "bh", "QE-DEC"):
        assert fixed_step(to_offset(name)) is None, name
    assert fixed_step(None) is None


def test_dji_snapshot_read_without_dates_is_a_data_error(monkeypatch):
    # (a Series of no dates iterated its index, None: a TypeError naming NoneType)
    import numpy as np

    from rnnlab.data.series import load_series
    from rnnlab.io.errors import DataError

    monkeypatch.setattr(dji_setup, "dji", lambda: load_series(np.arange(5.0)))
    with pytest.raises(DataError, match="without its dates"):
        dji_setup.article_close()


def test_whole_words_keeps_a_formatter_that_is_no_class():
    # issubclass() refused a formatter_class that is a callable, not a class (a partial of
    # HelpFormatter, as argparse allows): TypeError; mypy: argparse types it as a callable
    import argparse
    import functools

    from rnnlab.cli_help_format import whole_words

    narrow = functools.partial(argparse.HelpFormatter, width=40)
    parser = argparse.ArgumentParser(prog="p", formatter_class=narrow)
    parser.add_argument("--x", help="a-very-long-hyphenated-name-that-wraps " * 2)
    sub = parser.add_subparsers().add_parser("run")
    whole_words(parser)
    assert parser.formatter_class is narrow  # kept as given
    assert sub.formatter_class.__name__.startswith("WholeWords")  # its own still wraps whole
    assert "usage: p" in parser.format_help()


def test_repeated_rows_of_a_panel_whose_id_column_is_named_by_a_number():
    # the hint joined the key names as text: "sequence item 0: expected str instance, int
    # found" (a TypeError) in place of the DataError (mypy: the id column is Hashable)
    import pandas as pd

    from rnnlab.io.errors import DataError
    from rnnlab.panel import read_panel

    df = pd.DataFrame({7: ["a"] * 4, "ds": ["2020-01-01", "2020-01-01", "2020-01-02",
                                           "2020-01-02"],
                       "y": [1.0, 2.0, 3.0, 4.0], "shop": ["x", "y", "x", "y"]})
    with pytest.raises(DataError, match=r"repeat an \(id, .*id_column=\['7', 'shop'\] .*"
                                        r"\(--id-column 7,shop\)"):
        read_panel(df, id_column=7)


def test_fx_proxy_of_a_graph_of_no_tracer_is_a_trace_error():
    # a Proxy made from a graph's node (fx's GraphAppendingTracer, which has no module
    # paths) reached tracer.path_of_module: an AttributeError (mypy: a TracerBase)
    import torch.fx as fx

    from rnnlab import nn as rnn

    x = fx.Proxy(fx.Graph().placeholder("x"))
    with pytest.raises(fx.proxy.TraceError, match="symbolic_trace"):
        rnn.LSTM(2, 3, batch_first=True)(x)
