"""The data options' choices, torch-, numpy- and pandas-free, so that the parsers and the
configs that check them (``rnnlab forecast --help``) import none of those: the modules
that act on them (:mod:`.series`, :mod:`.scalers`) read them from here."""

FILLS = ("ffill", "bfill", "interpolate", "drop")  # --fill: a series' NaN values
SCALER_NAMES = ("standard", "minmax", "none")  # --scaler: the keys of scalers.SCALERS
OFF_GRID = ("refuse", "drop", "snap")  # --off-grid: dates that break a series' grid

__all__ = ["FILLS", "OFF_GRID", "SCALER_NAMES"]
