"""The reading options every reader of a file takes from Python, checked once before any
reading: ``encoding`` (a CSV file's text encoding, ``--encoding``) and ``off_grid`` (the
dates that break a series' grid, ``--off-grid``: :mod:`.off_grid`). Both forecasters'
``fit``, ``predict(history=path)`` and ``backtest``, and the panel baselines, check them
here, so each refusal reads alike and names the call it came from. Neither the one-series
nor the panel code owns it: each imports it from here."""

from __future__ import annotations


def check_reading(where: str, encoding, off_grid) -> None:
    """``encoding`` (a name Python knows, or None) and ``off_grid`` (one of
    :data:`~rnnlab.data.option_names.OFF_GRID`) of the call ``where`` (``Forecaster.fit``,
    ``GlobalForecaster.predict``), checked before any reading: else a ConfigError."""
    from ..io.encoded_path import checked_encoding
    from ..io.errors import ConfigError
    from .option_names import OFF_GRID

    checked_encoding(encoding, where)
    if off_grid not in OFF_GRID:
        raise ConfigError(f"{where}(off_grid={off_grid!r}): expected one of "
                          f"{', '.join(map(repr, OFF_GRID))} (refuse, the default, names a "
                          f"date that breaks the grid; drop drops its row; snap moves it to "
                          f"the date the grid expects)")


def fitted_off_grid(model, off_grid: "str | None") -> str:
    """``off_grid`` as given, or, where it is None (not given), the policy ``model`` was
    fitted with (its ``off_grid`` attribute, which ``fit(off_grid=...)`` sets and ``save``
    keeps): ``predict(history=...)`` reads new data of a series as its fit read the series,
    so a date the fit was told to drop or snap is not refused there."""
    return getattr(model, "off_grid", "refuse") if off_grid is None else off_grid


def saved_off_grid(extra: dict, source: str) -> str:
    """The ``off_grid`` a saved model's ``extra`` section records ('refuse' when absent:
    saved before it was kept); another value is a CheckpointError naming ``source`` (the
    model.json) and the choices."""
    from ..io.errors import CheckpointError
    from .option_names import OFF_GRID

    value = extra.get("off_grid", "refuse")
    if value not in OFF_GRID:
        raise CheckpointError(f"{source}: 'off_grid' should be one of "
                              f"{', '.join(OFF_GRID)}, found {value!r}; restore the folder "
                              f"from a copy, or train again")
    return value


__all__ = ["check_reading", "fitted_off_grid", "saved_off_grid"]
