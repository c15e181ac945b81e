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


__all__ = ["check_reading"]
