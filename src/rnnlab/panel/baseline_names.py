"""The panel baselines by name (``--model``, ``--baselines``), numpy- and pandas-free so
that the parsers and the checks of ``rnnlab backtest`` import neither;
:data:`rnnlab.panel.baselines.BASELINES` maps each to its class (a test checks both)."""

BASELINE_NAMES = ("naive", "seasonal_naive", "ets")

__all__ = ["BASELINE_NAMES"]
