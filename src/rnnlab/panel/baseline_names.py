"""The panel baselines by name (``--model``, ``--baselines``), numpy- and pandas-free so
that the parsers and the checks of ``rnnlab backtest`` import neither;
:data:`rnnlab.panel.baselines.BASELINES` maps each to its class (a test checks both)."""

# (croston, sba, tsb: intermittent demand; mean, tslm, arima: the rest of fpp3's benchmarks,
# arima with the `arima` extra; none among the CLI's default baselines)
BASELINE_NAMES = ("naive", "seasonal_naive", "ets", "croston", "sba", "tsb", "rw_drift",
                  "mean", "tslm", "arima")
# the baselines a panel run is judged beside: rnnlab forecast's, rnnlab backtest's default
DEFAULT_BASELINES = ("naive", "seasonal_naive", "ets")

# other libraries' names of these (fable's SNAIVE, RW; statsforecast's SeasonalNaive,
# AutoETS), and of models offered on one series only
_PEER = {"snaive": "seasonal_naive", "seasonalnaive": "seasonal_naive", "rw": "naive",
         "randomwalk": "naive", "random_walk": "naive", "autoets": "ets",
         "randomwalkwithdrift": "rw_drift", "drift": "rw_drift", "autoarima": "arima",
         "auto_arima": "arima", "historicaverage": "mean", "historic_average": "mean"}
# the one-series table's drift row is another method: said beside rw_drift
_DRIFT = (" (fpp3's random walk with drift, a panel baseline: RWDrift(), --model "
          "rw_drift, --baselines rw_drift); the drift row of the one-series `rnnlab forecast` table, "
          "scored always, is another method: the seasonal naive grown by the average "
          "yearly growth")
_ONE_SERIES = ("theta",)
# the one-series table's arma row is no AutoARIMA: said beside the panels' arima
_ARMA = ("; 'arma' is a row of the one-series `rnnlab forecast` table, scored always (an "
         "ARMA(2, 1) on the series' seasonal log changes), no model or panel baseline; the "
         "panels' automatic ARIMA is 'arima' (statsforecast's AutoARIMA: ARIMA(), --model "
         "arima, --baselines arima)")


def peer_hint(name: str) -> str:
    """What to pass instead of another library's baseline ``name`` ('' when none)."""
    key = str(name).strip().lower()
    if key in _PEER:
        return f"; {name!r} is {_PEER[key]!r} here" + (_DRIFT if key == "drift" else "")
    if key == "arma":
        return _ARMA
    if key in _ONE_SERIES:
        return (f"; {name!r} is no panel baseline here (the panels' are naive, seasonal_naive, "
                f"ets, rw_drift, mean, tslm, arima; the one-series `rnnlab forecast` has arma)")
    return ""


__all__ = ["BASELINE_NAMES", "DEFAULT_BASELINES", "peer_hint"]
