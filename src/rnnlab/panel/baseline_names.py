"""The panel baselines by name (``--model``, ``--baselines``), numpy- and pandas-free so
that the parsers and the checks of ``rnnlab backtest`` import neither;
:data:`rnnlab.panel.baselines.BASELINES` maps each to its class (a test checks both)."""

# (croston, sba, tsb: intermittent demand, not among the CLI's default baselines)
BASELINE_NAMES = ("naive", "seasonal_naive", "ets", "croston", "sba", "tsb")
# the baselines a panel run is judged beside: rnnlab forecast's, rnnlab backtest's default
DEFAULT_BASELINES = ("naive", "seasonal_naive", "ets")

__all__ = ["BASELINE_NAMES", "DEFAULT_BASELINES"]
