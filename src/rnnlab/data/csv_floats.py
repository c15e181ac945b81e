"""The numbers of a CSV file read as the doubles they name, on every pandas rnnlab supports.

pandas 2's C reader (its default ``float_precision``, "high") reads a decimal written with
17 significant digits (``repr`` of a computed double: what ``to_csv`` writes, rnnlab's own
forecasts.csv and history.csv included) one unit in the last place off the nearest double:
about a third of them. pandas 3 reads them exactly, and deprecates the argument. Python 3.10
installs pandas 2 at most, so without it the same file held other values there (a score of
forecasts.csv differed from metrics.json in its last digits)."""

import pandas as pd

# the keyword arguments of ``pd.read_csv`` that read each number as Python's float() does
EXACT_FLOATS = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
