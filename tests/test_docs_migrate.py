"""docs/panels.md's "Coming from NeuralForecast, Darts, statsforecast or sktime" table as a migrating user reads
it: each row's rnnlab code runs as written, top to bottom as one script, on a small
monthly panel with the covariates it names, and each row's command-line options are
options of the command they belong to."""

import re
import shlex
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from cli_parsers import all_parsers

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## Coming from NeuralForecast, Darts, statsforecast or sktime"


def table_rows():
    """The table's rows under :data:`HEADING`: (peer cell, rnnlab cell, command-line cell)."""
    text = (ROOT / "docs/panels.md").read_text(encoding="utf-8")
    part = text[text.index(HEADING):]
    part = part[:part.index("\n## ", 1)]
    rows = [[c.strip() for c in line.strip().strip("|").split(" | ")]
            for line in part.splitlines() if line.startswith("| ")]
    assert rows[0][0] == "NeuralForecast / Darts / statsforecast / sktime"  # the header
    return [r for r in rows[1:] if not set(r[0]) <= set("-|")]


def spans(cell: str):
    """The code spans of a cell, in order."""
    return re.findall(r"`([^`]+)`", cell)


def namespace(tmp_path):
    """What the table's code reads: a monthly panel (unique_id, ds, y and the covariates
    visits, price, sector), its training part, the future prices, a model of it."""
    from rnnlab.panel import GlobalForecaster, accuracy, nixtla_frame, read_panel
    import rnnlab.panel.baselines
    import rnnlab.panel.ets
    from rnnlab.forecast import Forecaster
    from rnnlab.panel.baselines import Naive, SeasonalNaive
    from rnnlab.panel.ets import ETS

    rng = np.random.default_rng(0)
    n, extra = 84, 12  # (months of data, then 12 of future prices)
    dates = pd.date_range("2015-01-01", periods=n + extra, freq="MS")
    rows = []
    for i, uid in enumerate(["a", "b", "c"]):
        price = 1 + rng.random(n + extra)
        y = 50 + 10 * i + 5 * np.sin(np.arange(n + extra) * 2 * np.pi / 12) - 3 * price
        rows.append(pd.DataFrame({"unique_id": uid, "ds": dates, "y": y + rng.random(n + extra),
                                  "visits": rng.random(n + extra), "price": price,
                                  "sector": "s" + str(i % 2)}))
    full = pd.concat(rows, ignore_index=True)
    df = full[full["ds"] < dates[n]].reset_index(drop=True)
    later = full[full["ds"] >= dates[n]]
    panel = read_panel(df)
    train = panel.cut(12)
    return {
        "df": df.drop(columns="sector"), "panel": panel, "train": train, "new": panel,
        "raw": df.rename(columns={"unique_id": "id", "ds": "date"}).drop(columns="sector"),
        "static": df.groupby("unique_id", as_index=False)["sector"].first(),
        "fut": df.groupby("unique_id").tail(12)[["unique_id", "ds", "price"]],
        "fut_new": later[["unique_id", "ds", "price"]], "path": tmp_path / "model",
        "ck": tmp_path / "ck",
        "f": GlobalForecaster("gru", lookback=12, horizon=12, hidden_size=8, head_size=8,
                              epochs=1, batches_per_epoch=2, past_covariates=("visits",),
                              future_covariates=("price",), static_covariates=("sector",)),
        "GlobalForecaster": GlobalForecaster, "read_panel": read_panel, "accuracy": accuracy,
        "SeasonalNaive": SeasonalNaive, "Naive": Naive, "ETS": ETS, "rnnlab": rnnlab,
        "Forecaster": Forecaster, "backtest_models": rnnlab.panel.backtest_models,
        "nixtla_frame": nixtla_frame,
    }


def test_the_table_has_the_workflows_rows():
    rows = table_rows()
    assert len(rows) >= 15 and all(len(r) == 3 for r in rows)
    said = " ".join(r[0] for r in rows)
    for peer in ("futr_df", "static_df", "cross_validation", "historical_forecasts", "level=",
                 "num_samples", "scaler_type", "Scaler()", "save(", "load(", "freq=",
                 "predict_insample", "add_holidays", "models=[", "X_df=", "fh=[1, 2, 3]",
                 "season_length=12", "ExpandingWindowSplitter", "temporal_train_test_split",
                 "AutoETS-lo-80", "AutoARIMA"):
        assert peer in said, peer


@pytest.mark.slow
def test_each_rows_rnnlab_code_runs_as_written_top_to_bottom(tmp_path):
    ns = namespace(tmp_path)
    ran = 0
    for peer, ours, _ in table_rows():
        for code in spans(ours):
            try:
                exec(compile(code, f"row {peer[:40]!r}", "exec"), ns)
            except Exception as e:  # (the row and the code named)
                raise AssertionError(f"{peer[:60]}: `{code}` raised {e!r}") from e
            ran += 1
    assert ran >= 25
    # what the rows say their code gives
    fc = ns["f"].predict(future=ns["fut"])
    assert list(fc.columns[:7]) == ["unique_id", "ds", "step", "mean", "q0.1", "q0.5", "q0.9"]
    assert (fc["mean"] == fc["q0.5"]).all()  # (the mean column is the median)
    origins = ns["res"].forecasts["origin"].drop_duplicates().sort_values()
    last = ns["panel"].df["ds"].max()
    assert list(origins) == [last - pd.DateOffset(months=k) for k in (36, 24, 12)]


def test_each_rows_options_are_the_commands_own():
    from rnnlab.cli import build_parser

    parsers = {path: p for path, p in all_parsers(build_parser())}
    options = {path[0]: {o for a in p._actions for o in a.option_strings}
               for path, p in parsers.items() if len(path) == 1}
    checked = 0
    for peer, _, cli in table_rows():
        for code in spans(cli):
            words = shlex.split(code)
            command = words[1] if words[0] == "rnnlab" else None
            known = (options[command] if command else
                     options["forecast"] | options["backtest"])
            flags = [w for w in words if w.startswith("--")]
            missing = [w for w in flags if w not in known]
            where = command or "forecast/backtest"
            assert not missing, f"{peer[:60]}: {missing} not options of {where}"
            checked += len(flags)
    assert checked >= 25


def test_the_peer_column_puts_each_argument_where_the_peer_takes_it():
    """NeuralForecast takes val_size in fit/cross_validation, not in the model (LSTM(...,
    val_size=12) goes to its Trainer, which refuses it), and utilsforecast's mase needs the
    seasonality and the training frame: the row listed them as the model's and bare."""
    peer = {r[0] for r in table_rows()}
    row = next(c for c in peer if "early_stop_patience_steps" in c)
    assert "nf.fit(df, val_size=12)" in row
    row = next(c for c in peer if "utilsforecast" in c and "evaluate(" in c)  # (not sktime's)
    assert "partial(mase, seasonality=12)" in row and "train_df=" in row
