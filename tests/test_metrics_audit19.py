"""Audit of the forecast scores against their textbook definitions (session 19): each
expected value is written from the definition, by hand, not from rnnlab's code."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from rnnlab.panel import metrics as M


def _one_series_panel(y, period=None):
    from rnnlab.panel.frame import PanelFrame

    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000-01-01", periods=len(y),
                                                             freq="D"), "y": y})
    return PanelFrame(df, "D", period, ("a",))


def test_rmsse_is_rmse_over_the_root_mean_squared_naive_differences():
    """RMSSE (Hyndman & Athanasopoulos, fpp3 5.8; the M5 competition): sqrt(mean(e^2) /
    mean((y_t - y_{t-m})^2)) over the history. It was RMSE / (mean |y_t - y_{t-m}|), the
    MASE's scale, a different number under the textbook's name."""
    from rnnlab.panel.backtest import backtest

    y = np.array([0.0, 1.0, 4.0, 5.0, 9.0, 8.0])  # history 0,1,4,5; truth 9, 8
    res = backtest(None, _one_series_panel(y), horizon=2, baselines=("naive",))
    s = res.summary().set_index("model").loc["naive"]
    # naive from 5: errors -4, -3; history differences 1, 3, 1
    mse, msd, mad = (16 + 9) / 2, (1 + 9 + 1) / 3, (1 + 3 + 1) / 3
    assert s["rmsse"] == pytest.approx(math.sqrt(mse / msd))
    assert s["mase"] == pytest.approx(3.5 / mad)


def test_rmsse_scale_uses_the_seasonal_pairs_as_the_mase_scale():
    y = np.array([1.0, 2, 3, 5, 4, 6, 9, 7])
    # period 2: differences 2,3,1,1,5,1 -> mean square 41/6
    assert M.rmsse_scale(y, 2) == pytest.approx(math.sqrt(41 / 6))
    assert M.rmsse_scale(y, None) == pytest.approx(math.sqrt((1 + 1 + 4 + 1 + 4 + 9 + 4) / 7))
    assert np.isnan(M.rmsse_scale(np.ones(4), None))


def test_rmsse_without_its_scale_is_nan_not_the_mase_scaled_number():
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "y": [10.0, 10.0],
                       "mean": [12.0, 8.0], "scale": 2.0})
    row = M.per_series(fc).iloc[0]
    assert row["mase"] == pytest.approx(1.0)
    assert np.isnan(row["rmsse"])


def test_bits_per_char_counts_characters_not_bytes_and_perplexity_is_exp_nats():
    """bits per character = cross-entropy (nats) per scored character / ln 2, the
    characters being code points (a snowman is 1, not the 3 bytes of its UTF-8), unknown
    ones scored as the unknown token; perplexity = exp(nats per character)."""
    import torch

    from rnnlab.lm import CharLM

    torch.manual_seed(0)
    train = "héllo wörld ☃ " * 60
    lm = CharLM(model="lstm", hidden_size=8, num_layers=1, embedding=4, dropout=0.0).fit(
        train, seq_len=16, batch_size=4, epochs=1, progress=False)
    text = "wörld ☃ñ héllo☃"  # ñ: not in the training text
    chars = list(text)
    ids = torch.tensor([[lm.vocab.tokens.index(c) if c in lm.vocab.tokens else 0
                         for c in chars]])
    lm.net.eval()
    with torch.no_grad():
        logits, _ = lm.net(ids[:, :-1], None)
    logp = torch.log_softmax(logits.double(), -1)[0]
    nats = -float(logp[torch.arange(len(chars) - 1), ids[0, 1:]].sum())
    per_char = nats / (len(chars) - 1)  # 14 characters scored, the text has 19 bytes
    assert len(text.encode("utf-8")) != len(chars)
    with pytest.warns(UserWarning, match="not in the model's vocabulary"):
        bpc = lm.bits_per_char(text, streams=1)
    assert bpc == pytest.approx(per_char / math.log(2), rel=1e-9)
    with pytest.warns(UserWarning, match="not in the model's vocabulary"):
        ppl = lm.perplexity(text, streams=1)
    assert ppl == pytest.approx(math.exp(per_char), rel=1e-9)


def test_summary_counts_the_series_its_scaled_metrics_average():
    """A series with a constant history has no MASE; the mean across series skips it, so
    the summary's MASE is over 1 of its 2 series while n_series said 2."""
    fc = pd.DataFrame({"model": "m", "unique_id": ["a", "a", "b", "b"],
                       "y": [1.0, 2.0, 5.0, 5.0], "mean": [2.0, 2.0, 5.0, 6.0],
                       "scale": [1.0, 1.0, np.nan, np.nan]})
    s = M.summarize(fc).iloc[0]
    assert s["mase"] == pytest.approx((1 + 0) / 2)  # series a alone
    assert s["mae"] == pytest.approx(((1 + 0) / 2 + (0 + 1) / 2) / 2)  # both
    assert s["n_series"] == 2 and s["n_series_scaled"] == 1


def test_backtest_cli_says_when_mase_averages_fewer_series(tmp_path, capsys):
    from rnnlab.cli import main

    t = np.arange(30)
    df = pd.concat([pd.DataFrame({"store": "wavy", "month": pd.date_range(
        "2010-01", periods=30, freq="MS").strftime("%Y-%m"), "sales": 10 + np.sin(t) + t}),
        pd.DataFrame({"store": "flat", "month": pd.date_range(
            "2010-01", periods=30, freq="MS").strftime("%Y-%m"), "sales": 7.0})])
    df.to_csv(tmp_path / "p.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["backtest", "--data", str(tmp_path / "p.csv"), "--id-column", "store",
                     "--date-column", "month", "--column", "sales", "--horizon", "3",
                     "--first-origin", "6", "--stride", "3", "--model", "naive",
                     "--baselines", "none", "--out", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert "mase and the scaled metrics average 1 of 2 series" in " ".join(out.split())
    summary = pd.read_csv(tmp_path / "run" / "summary.csv")
    assert summary["n_series_scaled"].tolist() == [1]


def test_forecast_summary_over_seeds_gives_the_sample_std_as_compare_does():
    """``rnnlab forecast --seeds 0 1``'s "mean ± std" was numpy's population std (ddof=0),
    rnnlab compare's the sample std (ddof=1): over two seeds 1 and 3, 1.0 and sqrt(2)."""
    from rnnlab.forecast.report import summarize
    from rnnlab.forecast.run_intervals import summarize_intervals

    def run(v):
        m = {"rmse": v, "mae": v, "mape": v, "smape": v, "mase": v}
        return {"forecast": {"model": m},
                "intervals": {"levels": [0.1, 0.9], "test": {"coverage80": v / 4}}}

    results = {0: run(1.0), 1: run(3.0)}
    s = summarize(results)["forecast"]["model"]["rmse"]
    assert s["mean"] == pytest.approx(2.0) and s["std"] == pytest.approx(math.sqrt(2))
    iv = summarize_intervals(results)["test"]["coverage80"]
    assert iv["std"] == pytest.approx(math.sqrt(((0.25 - 0.5) ** 2 + (0.75 - 0.5) ** 2) / 1))
    assert summarize({0: run(1.0)})["forecast"]["model"]["rmse"]["std"] == 0.0


def test_wql_is_the_quantile_loss_weighted_by_the_sum_of_abs_y():
    """The weighted quantile loss (GluonTS, AutoGluon, Chronos): 2 * sum over rows and
    levels of the pinball loss / (levels * sum |y|). It was 2 * mean pinball, in the
    series' units."""
    fc = pd.DataFrame({"model": "m", "unique_id": "a", "y": [10.0, -20.0],
                       "mean": [10.0, -20.0], "q0.1": [8.0, -15.0], "q0.9": [13.0, -19.0]})
    # row 1: 0.1 * 2 + 0.1 * 3 = 0.5; row 2: 0.9 * 5 + 0.1 * 1 = 4.6 (over 2 levels)
    ql = (0.1 * 2 + 0.1 * 3) + (0.9 * 5 + 0.1 * 1)
    row = M.per_series(fc).iloc[0]
    assert row["wql"] == pytest.approx(2 * ql / 2 / (10 + 20))
    assert row["pinball"] == pytest.approx(ql / 4)
    zeros = fc.assign(y=0.0)
    assert np.isnan(M.per_series(zeros).iloc[0]["wql"])
