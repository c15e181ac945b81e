"""A NeuralForecast / Darts user moving to rnnlab's panels (session 19): what they would
naturally try, and what came back wrong or unexplained."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from rnnlab.panel import GlobalForecaster, read_panel
from rnnlab.panel.series_draws import SeriesDraws

TINY = dict(hidden_size=8, head_size=8, epochs=2, batches_per_epoch=3, batch_size=16,
            lookback=8, horizon=4, patience=None)


def long_table(n_series=4, n=60, seed=0, counts=False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for i in range(n_series):
        y = 10 + i + np.sin(np.arange(n) / 3) + rng.normal(0, 0.3, n)
        parts.append(pd.DataFrame({"unique_id": f"s{i}", "y": np.round(3 * y) if counts else y,
                                   "ds": pd.date_range("2020-01-01", periods=n, freq="D")}))
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------- a series' samples are its own
@pytest.mark.parametrize("settings", [dict(likelihood="studentt", ensemble=2),
                                      dict(likelihood="gaussian", strategy="recursive"),
                                      dict(likelihood="negbin")],
                         ids=["studentt", "recursive", "negbin"])
def test_a_likelihood_forecast_of_a_series_does_not_depend_on_the_other_series(settings):
    """The samples were drawn from one stream for the whole batch, so a series' mean and
    quantiles changed with the series forecast beside it: predict(history=) of two series
    gave s1 a mean 0.26 away from predict() of all four (studentt, 200 samples)."""
    df = long_table(counts=settings["likelihood"] == "negbin")
    f = GlobalForecaster(**TINY, **settings).fit(read_panel(df))
    every = f.predict(4).set_index(["unique_id", "step"])
    some = f.predict(4, history=read_panel(df[df["unique_id"].isin(["s1", "s3"])]))
    some = some.set_index(["unique_id", "step"])
    cols = ["mean", "q0.1", "q0.5", "q0.9"]
    # (float32 forwards of 2 and 4 rows may differ in the last bit)
    np.testing.assert_allclose(some[cols], every.loc[some.index, cols], rtol=1e-5)
    again = f.predict(4).set_index(["unique_id", "step"])
    pd.testing.assert_frame_equal(again, every)  # the same draws each call


def test_series_draws_are_per_series_and_seeded():
    """Each series' rows (r % S) come from its generator: the same for a series whatever
    the others, different for another seed or member."""
    a = SeriesDraws(0, 0, ["x", "y", "z"]).normal((5, 6, 2))  # two copies of three series
    b = SeriesDraws(0, 0, ["y"]).normal((5, 2, 2))
    torch.testing.assert_close(a[:, 1::3], b)
    assert not torch.equal(a[:, 0::3], a[:, 1::3])
    assert not torch.equal(SeriesDraws(1, 0, ["y"]).normal((5, 2, 2)), b)
    assert not torch.equal(SeriesDraws(0, 1, ["y"]).normal((5, 2, 2)), b)
    g = SeriesDraws(0, 0, ["x", "y"]).gamma(torch.full((4000, 2, 1), 3.0))
    assert float(g.mean()) == pytest.approx(3.0, rel=0.05) and bool((g > 0).all())
    p = SeriesDraws(0, 0, ["x", "y"]).poisson(torch.full((4000, 2, 1), 4.0))
    assert float(p.mean()) == pytest.approx(4.0, rel=0.05) and bool((p == p.round()).all())


# ------------------------------------------------- static covariates given twice
def test_a_static_covariate_in_the_panel_and_the_static_table_must_agree():
    """A panel with a `region` column and static= a table with `region` too: the table's
    values were used without a word where they disagreed with the panel's."""
    from rnnlab.io.errors import DataError

    df = long_table()
    df["region"] = df["unique_id"].map({"s0": "N", "s1": "S", "s2": "N", "s3": "E"})
    table = pd.DataFrame({"unique_id": ["s0", "s1", "s2", "s3"], "region": ["N", "S", "N", "E"]})
    f = GlobalForecaster(**TINY, static_covariates=("region",))
    f.fit(read_panel(df), static=table)  # the same values: taken
    with pytest.raises(DataError, match=r"'region' is both .*\('s0': table 'W', panel 'N'"):
        f.fit(read_panel(df), static=table.assign(region=["W", "S", "N", "E"]))
    df["size"] = df["unique_id"].str[1:].astype(int)  # numbers: 1 and 1.0 agree
    sizes = pd.DataFrame({"unique_id": ["s0", "s1", "s2", "s3"], "size": [0.0, 1.0, 2.0, 3.0]})
    GlobalForecaster(**TINY, static_covariates=("size",)).fit(read_panel(df), static=sizes)
    with pytest.raises(DataError, match="'size' is both"):
        GlobalForecaster(**TINY, static_covariates=("size",)).fit(
            read_panel(df), static=sizes.assign(size=[0.0, 1.0, 2.0, 30.0]))


# ------------------------------------------------- the CLI words a migrant types
@pytest.mark.parametrize("typed, meant", [("panel", "rnnlab backtest"),
                                          ("predict", "rnnlab forecast --run DIR"),
                                          ("fit", "rnnlab forecast"),
                                          ("cross-validation", "rnnlab backtest"),
                                          ("historical_forecasts", "rnnlab backtest")])
def test_a_forecasting_librarys_verb_as_a_command_points_at_ours(typed, meant, capsys):
    """`rnnlab panel ...` (the panel API's CLI, as a user guesses it), `rnnlab predict`,
    `rnnlab cross-validation` answered "invalid choice" with the list of commands only."""
    from rnnlab.cli import main

    assert main([typed, "--data", "x.csv"]) == 2
    err = capsys.readouterr().err
    assert f"'{typed}' is not a command of its own" in err and f"`{meant}" in err


# ------------------------------------------------- read_panel under the peers' names
@pytest.mark.parametrize("given, ours", [
    (dict(id_col="item", time_col="date", target_col="sales"), "'id_col' (here: id_column=)"),
    (dict(column="sales"), "'column' (here: target=)"),
    (dict(group_cols="item", value_cols="sales"), "'value_cols' (here: target=)")])
def test_read_panel_names_its_arguments_for_the_peers_names(given, ours):
    """NeuralForecast's id_col/time_col/target_col, Darts' group_cols/value_cols and the
    CLI's --column given to read_panel: Python's bare "unexpected keyword argument"."""
    df = long_table().rename(columns={"unique_id": "item", "ds": "date", "y": "sales"})
    with pytest.raises(TypeError, match=r"read_panel\(\) got unexpected keyword") as e:
        read_panel(df, **given)
    assert ours in str(e.value) and "target=" in str(e.value)
    panel = read_panel(df, id_column="item", date_column="date", target="sales")
    assert panel.ids == ("s0", "s1", "s2", "s3")


# ------------------------------------------------- a future table in the data's names
def test_a_future_table_under_the_datas_column_names_is_told_to_name_them_ours():
    """read_panel(v, id_column='Region', date_column='Quarter') then future= a table with
    Region and Quarter: refused listing the columns only."""
    from rnnlab.io.errors import DataError

    df = long_table().rename(columns={"unique_id": "Region", "ds": "Quarter"})
    df["x"] = 1.0
    f = GlobalForecaster(**TINY, future_covariates=("x",)).fit(
        read_panel(df, id_column="Region", date_column="Quarter").cut(4))
    fut = df.groupby("Region").tail(4)
    with pytest.raises(DataError, match=r"name its id and date columns 'unique_id' and 'ds' "
                                        r"\(its other columns: \['Region', 'y', 'Quarter'\]"):
        f.predict(4, future=fut)
    with pytest.raises(DataError, match=r"name its date column 'ds'"):
        f.predict(4, future=fut.rename(columns={"Region": "unique_id"}))
    out = f.predict(4, future=fut.rename(columns={"Region": "unique_id", "Quarter": "ds"}))
    assert len(out) == 16


# ------------------------------------------------- a short history of a known series
@pytest.mark.parametrize("local", [False, True], ids=["global", "local"])
def test_a_known_series_too_short_in_the_history_is_skipped_as_a_new_one_is(local):
    """One series with 5 points in predict(history=) (a store reopened) stopped the
    forecast of every series, where a new series as short, and fit's short series, are
    skipped with a warning; on_short='error' (and all series short) still refuse."""
    from rnnlab.io.errors import DataError

    df = long_table(n_series=3, n=70)
    f = GlobalForecaster(**TINY, local=local, calibrate="conformal").fit(read_panel(df))
    full = f.predict(4, history=read_panel(df))
    cut = pd.concat([df[df["unique_id"] != "s2"], df[df["unique_id"] == "s2"].tail(5)])
    with pytest.warns(UserWarning, match=r"\['s2'\] have fewer than lookback \+ lag = 15 "
                                         r"points to forecast from \(5\); skipped"):
        out = f.predict(4, history=read_panel(cut))
    assert list(pd.unique(out["unique_id"])) == ["s0", "s1"]
    pd.testing.assert_frame_equal(out, full[full["unique_id"] != "s2"], check_exact=False)
    with pytest.raises(DataError, match="or leave them out"):
        f.predict(4, history=read_panel(df[df["unique_id"] == "s2"].tail(5)))
    f.config = f.config.__class__(**{**f.config.__dict__, "on_short": "error"})
    with pytest.raises(DataError, match=r"\['s2'\] have fewer"):
        f.predict(4, history=read_panel(cut))


# ------------------------------------------------- a Student-t in logs has no mean
def test_a_student_t_in_logs_gives_the_median_as_its_point_forecast():
    """likelihood='studentt' on positive series (transform='auto': logs): e^t has no mean,
    and the draws' mean, the `mean` column, was 2.3e7 for a series of median 1.1 (the
    backtest's MASE and RMSE read it). Its point is the draws' median now; a Gaussian in
    logs keeps the draws' mean (the log-normal's, finite)."""
    rng = np.random.default_rng(0)
    ds = pd.date_range("2020-01-01", periods=100, freq="D")
    df = pd.concat([pd.DataFrame({"unique_id": f"s{k}", "ds": ds,
                                  "y": (k + 1) * np.exp(rng.normal(0, 1.0, 100))})
                    for k in range(4)], ignore_index=True)
    fast = dict(TINY, epochs=3, batches_per_epoch=5, samples=400)
    t = GlobalForecaster(**fast, likelihood="studentt").fit(read_panel(df))
    out, paths = t.predict(4), t.sample_paths(4)
    for uid, g in out.groupby("unique_id"):
        np.testing.assert_allclose(g["mean"], np.median(paths[uid], axis=0), rtol=1e-9)
    assert ((out["mean"] >= out["q0.1"]) & (out["mean"] <= out["q0.9"])).all()
    n = GlobalForecaster(**fast, likelihood="gaussian").fit(read_panel(df))
    out, paths = n.predict(4), n.sample_paths(4)
    np.testing.assert_allclose(out.loc[out["unique_id"] == "s0", "mean"],
                               paths["s0"].mean(axis=0), rtol=1e-9)


# ------------------------------------------------- the target is no covariate
def test_the_target_named_as_a_covariate_is_refused():
    """future_covariates=('y',) (NeuralForecast's target name) was taken: a backtest then
    passed the model the true values over each horizon (MASE 0.07 against naive's 0.54)."""
    from rnnlab.io.errors import DataError

    for kind in ("future_covariates", "past_covariates"):
        with pytest.raises(DataError, match="'y' is the target"):
            GlobalForecaster(**TINY, **{kind: ("temp", "y")})


# ------------------------------------------------- freq= a calendar the dates are not on
@pytest.mark.parametrize("dates, given, meant", [("MS", "M", "MS"), ("W-MON", "W", "W-MON"),
                                                 ("D", "B", "D")])
def test_a_freq_the_dates_are_not_on_names_the_one_they_are_on(dates, given, meant):
    """read_panel(df, freq='M') for month starts (NeuralForecast's habit), freq='W' for
    Monday weeks: "give every series the same frequency", not the one to pass."""
    from rnnlab.io.errors import DataError

    df = long_table(n_series=2, n=30).assign(
        ds=lambda d: np.tile(pd.date_range("2020-01-01", periods=30, freq=dates), 2))
    with pytest.raises(DataError, match=rf"lie on '{meant}': pass freq='{meant}'"):
        read_panel(df, freq=given)
    assert read_panel(df, freq=meant).freq == meant
