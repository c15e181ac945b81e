"""The data options' choices, torch-, numpy- and pandas-free, so that the parsers and the
configs that check them (``rnnlab forecast --help``) import none of those: the modules
that act on them (:mod:`.series`, :mod:`.scalers`) read them from here."""

FILLS = ("ffill", "bfill", "interpolate", "drop")  # --fill: a series' NaN values
SCALER_NAMES = ("standard", "minmax", "none")  # --scaler: the keys of scalers.SCALERS
OFF_GRID = ("refuse", "drop", "snap")  # --off-grid: dates that break a series' grid
OFF_GRID_HELP = ("the one or two dates that break the grid the others follow (a Thursday "
                 "among Fridays, a date typed a keystroke wrong): refuse names them "
                 "(default), drop drops their rows, snap dates each as the grid expects")

__all__ = ["FILLS", "OFF_GRID", "OFF_GRID_HELP", "SCALER_NAMES"]
