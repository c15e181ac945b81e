"""Arguments of the peers' ``save``/``load`` given to the forecasters': refused naming
what does the same here (Python's bare "unexpected keyword argument 'map_location'" said
nothing). NeuralForecast's ``save(path, save_dataset=True, model_index=...)``, Darts'
``save(path, clean=True)`` and ``load(path, map_location="cpu")`` (torch's).

``map_location`` is refused, not read as the device: a GlobalForecaster trains, loads and
forecasts on the CPU alone (nothing to map), and the one-series ``Forecaster.load`` names
its device ``device=``, one name for one setting (its run, the CLI's ``--device``)."""

from __future__ import annotations

from typing import Any, Dict, Mapping

from ..io.errors import ConfigTypeError

_CPU = ("nothing to map: a GlobalForecaster is rebuilt on the CPU, where it trains and "
        "forecasts; load(path)")
_GLOBAL_DATA = ("each series' tail, what predict reads, is saved always; the training data "
                "is not: keep its file (or panel.df.to_csv(...)) beside the model")
_SERIES_DATA = "the series is saved always, in model.json (predict reads it)"
_ONE_MODEL = "a saved folder holds one model (an ensemble's members together): save(path)"
_CLEAN = "the folder holds data only (weights and JSON), no trainer state to clean: save(path)"

LOAD = {"GlobalForecaster": {"map_location": _CPU, "device": _CPU},
        "Forecaster": {"map_location": "device= (Forecaster.load(path, device='cuda'))"}}
SAVE = {"GlobalForecaster": {"save_dataset": _GLOBAL_DATA, "model_index": _ONE_MODEL,
                             "clean": _CLEAN},
        "Forecaster": {"save_dataset": _SERIES_DATA, "model_index": _ONE_MODEL,
                       "clean": _CLEAN}}
TAKES: Dict[str, Any] = {"save": "path and overwrite=", "load": {"GlobalForecaster": "path",
                                                            "Forecaster": "path and device="}}


def refuse_save_load_arguments(owner: str, method: str, given: Mapping) -> None:
    """ConfigTypeError naming each keyword of ``given`` that ``owner.method`` (save or load)
    does not take, with what does its work here; nothing when ``given`` is empty."""
    if not given:
        return
    ours = (SAVE if method == "save" else LOAD)[owner]
    takes = TAKES[method] if method == "save" else TAKES[method][owner]
    said = "; ".join(f"{k!r} (here: {ours[k]})" if k in ours else repr(k) for k in given)
    raise ConfigTypeError(f"{owner}.{method}() got unexpected keyword argument"
                          f"{'s' if len(given) > 1 else ''} {said}; it takes {takes}")
