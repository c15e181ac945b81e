"""Arguments of NeuralForecast's and Darts' ``fit``/``predict`` given to
:class:`~rnnlab.panel.model.GlobalForecaster`'s: refused with the name that does the same
here (Python's bare "unexpected keyword argument 'futr_df'" said nothing of ``future=``).
Settings of the model itself (``level``, ``input_size``) are named at its creation
(:mod:`rnnlab.setting_names`)."""

from __future__ import annotations

from typing import Mapping

_CREATE = "set when the model is created: GlobalForecaster(quantiles=(0.1, 0.5, 0.9))"
_COLUMNS = ("columns of the panel, named when the model is created: "
            "GlobalForecaster(future_covariates=('temp',), past_covariates=('visits',))")
FIT = {"future_covariates": _COLUMNS, "past_covariates": _COLUMNS,
       "val_df": "the last val_size points of each series (val_size=, at creation)"}
OURS = {
    "futr_df": "future=", "static_df": "static=",
    "df": "history= (the series to forecast after)", "series": "history=",
    "past_covariates": "history= (a panel holding them as columns)",
    "h": "horizon (the first argument)", "n": "horizon (the first argument)",
    "level": f"quantiles, {_CREATE}", "quantiles": f"the levels, {_CREATE}",
    "num_samples": "samples=, set when the model is created (a likelihood's draws)",
    "val_size": "val_size=, set when the model is created",
}

# the peers' names a baseline (SeasonalNaive, Naive, ETS) has an answer for
BASELINE_KEYS = ("futr_df", "static_df", "df", "series", "h", "n", "level", "quantiles")


def refuse_peer_arguments(method: str, given: Mapping, owner: str = "GlobalForecaster") -> None:
    """TypeError naming each of ``given`` (keywords ``owner.method`` does not take) and
    what takes its place here. A baseline (``owner`` SeasonalNaive, ETS, ...) reads no
    covariates, so its fit names none of those; its quantiles are set at its creation too."""
    if not given:
        return
    network = owner == "GlobalForecaster"
    ours = dict(OURS, **FIT) if method == "fit" and network else OURS
    if not network:  # (no covariates, validation tail or samples in a baseline)
        ours = {k: v for k, v in ours.items() if k in BASELINE_KEYS}
    said = "; ".join(f"{k!r} (here: {ours[k].replace('GlobalForecaster(', owner + '(')})"
                     if k in ours else repr(k) for k in given)
    raise TypeError(f"{owner}.{method}() got unexpected keyword argument"
                    f"{'s' if len(given) > 1 else ''} {said}")
