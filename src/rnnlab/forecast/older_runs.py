"""The settings a run or model saved by an earlier rnnlab went on with, for the
:class:`~rnnlab.forecast.config.ForecastConfig` fields added since: a record (a run's
``config.json``, a saved model's ``model.json``) holds every field its rnnlab had, so a
field it lacks did not exist then, and the run went on as the value below does (the
field's default now may do something else: ``linear_skip=True`` adds weights an older
checkpoint does not hold, ``select="auto"`` forecasts with a weighted model).
"""

from __future__ import annotations

# field: the value that does what rnnlab did before the field existed
BEFORE = {
    "linear_skip": False,  # no linear skip from the window to the output (no skip.weight)
    "refit": False,  # the members scored were kept
    "select": "network",  # the network's forecast, no choice among baselines
    "calendar": (),  # no holidays (rnnlab.forecast.holidays): one input feature
    "country": None,
}


def fields_before(recorded: dict) -> dict:
    """The fields ``recorded`` (a saved config's dict) lacks, with the values that do what
    the rnnlab that wrote it did."""
    return {k: v for k, v in BEFORE.items() if k not in recorded}
