"""Numeric series from CSV files, pandas objects and arrays, checked before use.

:func:`load_series` returns a :class:`Series`: float64 values, an optional
``DatetimeIndex`` (parsed from a date column when there is one) and its frequency.
Every problem (missing file, unknown column, non-numeric cells, NaNs, a constant
series) raises :class:`~rnnlab.io.errors.DataError` naming what was found and what to do.

CSV files are checked before pandas reads them, in one streaming pass of 1 MiB chunks
(so a hostile file costs little memory): at most ``MAX_CSV_BYTES`` (256 MiB), no line
longer than ``MAX_LINE_BYTES`` (1 MiB), at most ``MAX_COLUMNS`` (10,000) header fields,
UTF-8 (a BOM is allowed; latin-1 or other bytes are refused with their line and byte
offset) and no NUL bytes (binary files). Empty files and directories are refused too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple, Union

import numpy as np
import pandas as pd

from ..io.errors import DataError

FILLS = ("ffill", "bfill", "interpolate", "drop")
MAX_CSV_BYTES = 256 * 1024 ** 2  # larger CSV files are refused (a univariate series is far smaller)
MAX_LINE_BYTES = 1024 ** 2  # a longer line is refused without being read into memory whole
MAX_COLUMNS = 10_000  # header fields
_CHUNK = 1024 ** 2

# pandas frequency prefixes -> the seasonal period they usually carry
_PERIODS = {"MS": 12, "ME": 12, "M": 12, "QS": 4, "QE": 4, "Q": 4, "W": 52, "h": 24, "H": 24,
            "B": 5, "D": 7}


@dataclass
class Series:
    """A univariate series: ``values`` (N,) float64, ``index`` dates or None."""

    values: np.ndarray
    index: Optional[pd.DatetimeIndex] = None
    name: str = "value"
    freq: Optional[str] = None  # pandas frequency string when the dates are regular
    gaps: int = 0  # dates of the freq grid missing between the first and the last
    filled: Optional[np.ndarray] = None  # positions whose NaN was filled in (fill=...)

    def __len__(self) -> int:
        return len(self.values)

    def to_pandas(self) -> pd.Series:
        return pd.Series(self.values, index=self.index, name=self.name)

    def gap_note(self) -> Optional[str]:
        """A line saying how many dates of the calendar are missing (None when none are)."""
        if not self.gaps:
            return None
        return (f"{self.gaps} dates of its {self.freq!r} calendar are missing (holidays or "
                f"gaps); the values are read as consecutive steps, and forecasts are dated "
                f"on that calendar")

    def future_index(self, n: int) -> Optional[pd.DatetimeIndex]:
        """The ``n`` dates after the last one (None without a regular date index)."""
        if self.index is None or self.freq is None or len(self.index) == 0:
            return None
        return pd.date_range(self.index[-1], periods=n + 1, freq=self.freq)[1:]


def infer_period(freq: Optional[str]) -> Optional[int]:
    """Seasonal period of a pandas frequency: monthly 12, quarterly 4, weekly 52, ..."""
    if not freq:
        return None
    base = freq.lstrip("0123456789").split("-")[0]
    for key in sorted(_PERIODS, key=len, reverse=True):
        if base == key or (len(key) > 1 and base.startswith(key)):
            return _PERIODS[key]
    return _PERIODS.get(base[:1])


def _rows(mask: np.ndarray, labels) -> str:
    rows = [str(labels[i]) for i in np.flatnonzero(mask)[:8]]
    more = int(mask.sum()) - len(rows)
    return ", ".join(rows) + (f" and {more} more" if more > 0 else "")


def _pick_column(df: pd.DataFrame, column, source: str) -> str:
    cols = [str(c) for c in df.columns]
    if column is None:
        numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
        if not numeric:
            raise DataError(f"{source}: no numeric column among {cols}; pass column=NAME")
        if len(numeric) > 1:  # a counter (0, 1, 2, ... or years) numbers the rows: not a target
            numeric = [c for c in numeric if not _is_counter(df[c])] or numeric
        return numeric[-1] if len(numeric) == 1 else _close_or_last(numeric)
    if isinstance(column, int) or (isinstance(column, str) and column.isascii() and column.isdigit()
                                   and column not in cols):
        i = int(column)
        if not -len(cols) <= i < len(cols):
            raise DataError(f"{source}: column index {i} out of range; the file has "
                            f"{len(cols)} columns: {cols}")
        return df.columns[i]
    if column not in df.columns:
        raise DataError(f"{source}: column {column!r} not found; columns are {cols}")
    return column


def _is_counter(col: pd.Series) -> bool:
    """Whole numbers rising by exactly 1 each row: an index or a year, not a series."""
    v = col.to_numpy(dtype=np.float64, na_value=np.nan)
    return len(v) > 2 and bool(np.all(np.diff(v) == 1)) and bool(np.all(v == np.round(v)))


def _close_or_last(numeric):
    for name in numeric:  # price files: the close is the usual target
        if str(name).lower() in ("close", "zamkniecie", "adj close"):
            return name
    raise DataError(f"several numeric columns ({', '.join(map(str, numeric))}) and none is "
                    f"Close; choose the one to forecast: --column NAME (column=NAME)")


def _find_date_column(df: pd.DataFrame, date_column):
    if date_column is False:
        return None
    if date_column is not None:
        if date_column not in df.columns:
            raise DataError(f"date column {date_column!r} not found; columns are "
                            f"{[str(c) for c in df.columns]}")
        return date_column
    for c in df.columns:
        if str(c).lower() in ("date", "data", "month", "time", "timestamp", "datetime", "ds", "day"):
            return c
    return None


def load_series(data, column: Union[str, int, None] = None, date_column=None,
                fill: Optional[str] = None, name: Optional[str] = None) -> Series:
    """Turn a CSV path, a pandas Series/DataFrame or an array into a checked :class:`Series`.

    ``column``: name or position of the numeric column (default: the only numeric one,
    or ``Close``). ``date_column``: the dates' column (default: one named date/month/...;
    ``False``: none). ``fill``: what to do with NaNs (ffill | bfill | interpolate | drop);
    by default NaNs are an error naming their rows.
    """
    if fill is not None and fill not in FILLS:
        raise DataError(f"fill must be one of {FILLS}, got {fill!r}")
    source = "series"
    if isinstance(data, (str, Path)):
        path = Path(data)
        source = str(path)
        if not path.exists():
            raise DataError(f"{path}: no such file; pass a CSV path, a built-in dataset name "
                            f"(`rnnlab datasets` lists them) or stooq:SYMBOL")
        if path.is_dir():
            raise DataError(f"{path}: is a directory; pass a CSV file")
        data = read_csv_checked(path)
    try:
        return _load(data, source, column, date_column, fill, name)
    except DataError:
        raise
    except (ValueError, TypeError, OverflowError, KeyError, IndexError, AttributeError,
            RecursionError) as e:  # pandas' many ways of refusing odd data
        raise DataError(f"{source}: cannot be used as a series ({type(e).__name__}: "
                        f"{str(e).splitlines()[0][:300] if str(e) else ''})") from None


def check_csv_file(path: Path) -> None:
    """Refuse (DataError) a file that is not a reasonable CSV, streaming it in 1 MiB chunks:
    empty, larger than MAX_CSV_BYTES, a line longer than MAX_LINE_BYTES, more than
    MAX_COLUMNS header fields, NUL bytes, or not UTF-8."""
    import codecs

    try:
        size = path.stat().st_size
        f = open(path, "rb")
    except OSError as e:
        raise DataError(f"{path}: cannot be read ({e.strerror or e})") from None
    if size == 0:
        f.close()
        raise DataError(f"{path}: the file is empty; expected a CSV file with a header line "
                        f"and one row per time step")
    if size > MAX_CSV_BYTES:
        f.close()
        raise DataError(f"{path}: {size:,} bytes; CSV files larger than {MAX_CSV_BYTES:,} bytes "
                        f"are refused (a series is far smaller: keep the column you need)")
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset, line, cur, header_checked = 0, 1, 0, False  # cur: length of the unfinished line
    with f:
        while True:
            try:
                chunk = f.read(_CHUNK)
            except OSError as e:
                raise DataError(f"{path}: cannot be read ({e.strerror or e})") from None
            a = np.frombuffer(chunk, dtype=np.uint8)
            if (a == 0).any():
                raise DataError(f"{path}: contains NUL bytes (at byte {offset + int(np.argmax(a == 0))}"
                                f"); this looks like a binary file, not a CSV text file")
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as e:
                at = offset + max(e.start, 0)
                bad_line = line + int((a[:max(e.start, 0)] == 10).sum())
                raise DataError(
                    f"{path}: not valid UTF-8 at byte {at} (line {bad_line}: byte "
                    f"{chunk[max(e.start, 0):max(e.start, 0) + 1]!r}); the file mixes encodings or "
                    f"is latin-1. Convert it, e.g. `iconv -f latin1 -t utf-8 {path} > fixed.csv`"
                ) from None
            nl = np.flatnonzero(a == 10)
            if len(nl):
                lengths = np.diff(np.concatenate([[-1], nl])) - 1
                lengths[0] += cur
                if not header_checked:
                    header_checked = True
                    fields = bytes(chunk[:nl[0]]).count(b",") + 1 if cur == 0 else MAX_COLUMNS + 1
                    if fields > MAX_COLUMNS:
                        raise DataError(f"{path}: the header has more than {MAX_COLUMNS:,} "
                                        f"columns; refused")
                worst = int(lengths.max())
                if worst > MAX_LINE_BYTES:
                    raise DataError(f"{path}: line {line + int(np.argmax(lengths))} is longer than "
                                    f"{MAX_LINE_BYTES:,} bytes; refused (a CSV series has short lines)")
                cur = len(a) - int(nl[-1]) - 1
                line += len(nl)
            else:
                cur += len(a)
            if cur > MAX_LINE_BYTES:
                raise DataError(f"{path}: line {line} is longer than {MAX_LINE_BYTES:,} bytes; "
                                f"refused (a CSV series has short lines)")
            if not chunk:
                if not header_checked and bytes(open(path, "rb").read(MAX_LINE_BYTES + 1)).count(b",") + 1 > MAX_COLUMNS:
                    raise DataError(f"{path}: the header has more than {MAX_COLUMNS:,} columns; "
                                    f"refused")
                break
            offset += len(a)


def _separator(path: Path) -> str:
    """The header line's field separator: ',' unless it has more ';' or tabs than commas."""
    with open(path, "rb") as f:
        head = f.readline(MAX_LINE_BYTES).decode("utf-8", errors="replace")
    counts = {sep: head.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > counts[","] else ","


def read_csv_checked(path) -> pd.DataFrame:
    """:func:`check_csv_file`, then pandas; every failure is a DataError naming the file."""
    path = Path(path)
    check_csv_file(path)
    try:
        sep = _separator(path)
        if sep == ";":  # the European export: decimal commas, unless the numbers have points
            df = pd.read_csv(path, encoding="utf-8", sep=";", decimal=",")
            if not any(pd.api.types.is_numeric_dtype(df[c]) for c in df.columns):
                df = pd.read_csv(path, encoding="utf-8", sep=";")
            return df
        return pd.read_csv(path, encoding="utf-8", sep=sep)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: no columns (only blank lines?); expected a CSV file with a "
                        f"header line") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OverflowError, MemoryError,
            OSError) as e:
        msg = str(e).splitlines()[0][:300] if str(e) else type(e).__name__
        raise DataError(f"{path}: cannot be read as CSV ({msg})") from None


def _load(data, source, column, date_column, fill, name) -> Series:
    index = None
    if isinstance(data, pd.DataFrame):
        if data.empty:
            raise DataError(f"{source}: no rows")
        dcol = _find_date_column(data, date_column)
        if dcol is not None:
            index = _parse_dates(data[dcol], source, dcol)
        candidates = data.drop(columns=[dcol]) if dcol is not None and column != dcol else data
        col = _pick_column(candidates if column is None else data, column, source)
        raw = data[col]
        name = name or str(col)
    elif isinstance(data, pd.Series):
        raw = data
        name = name or (str(data.name) if data.name is not None else "value")
        if isinstance(data.index, pd.DatetimeIndex):
            index = data.index
    else:
        arr = np.asarray(data)
        if arr.ndim == 2 and 1 in arr.shape:
            arr = arr.reshape(-1)
        if arr.ndim != 1:
            raise DataError(f"expected a 1-D array of values, got shape {arr.shape}")
        raw = pd.Series(arr)
        name = name or "value"
    values, labels = _numeric(raw, source, name, index)
    nan, filled = np.isnan(values), None
    if len(values) and nan.all():
        raise DataError(f"{source}: series {name!r} has no values (all {len(values)} rows are "
                        f"empty or NaN); choose another column (column=NAME, --column NAME)")
    if nan.any():
        if fill is None:
            raise DataError(f"{source}: series {name!r} has {int(nan.sum())} NaN values (rows "
                            f"{_rows(nan, labels)}); pass fill='ffill' (--fill ffill) or clean "
                            f"the file")
        s = pd.Series(values)
        if fill == "drop":
            values = values[~nan]
            index = index[~nan] if index is not None else None
        else:
            filled = np.flatnonzero(nan)
            s = s.ffill() if fill == "ffill" else s.bfill() if fill == "bfill" else s.interpolate()
            values = s.to_numpy()
            if np.isnan(values).any():  # ffill cannot fill a leading gap, bfill a trailing one
                values = pd.Series(values).ffill().bfill().to_numpy()
    if not np.isfinite(values).all():
        bad = ~np.isfinite(values)
        raise DataError(f"{source}: series {name!r} has infinite values (rows {_rows(bad, labels)})")
    if len(values) == 0:
        raise DataError(f"{source}: series {name!r} is empty")
    freq, gaps = None, 0
    if index is not None:
        index = pd.DatetimeIndex(index)
        freq, gaps = infer_freq_with_gaps(index)
    return Series(values=values.astype(np.float64), index=index, name=name, freq=freq, gaps=gaps,
                  filled=filled)


def _infer_freq(index: pd.DatetimeIndex) -> Optional[str]:
    import warnings

    if len(index) < 3:
        return None
    with warnings.catch_warnings():  # pandas 3 may return an offset, not a string
        warnings.simplefilter("ignore")
        try:
            f = pd.infer_freq(index)
        except (ValueError, TypeError):
            return None
    return getattr(f, "freqstr", f)


MAX_GAP_FRACTION = 0.2  # at most this share of a frequency's grid may be missing


def infer_freq_with_gaps(index: pd.DatetimeIndex) -> Tuple[Optional[str], int]:
    """(pandas frequency, dates of its grid missing) of a date index.

    ``pd.infer_freq`` needs every date present: one holiday in business-day prices or
    one missing month makes it give up. Here the frequency of short stretches (five
    dates at a time) is tried on the whole index: it is taken when every date lies on
    its grid and at most :data:`MAX_GAP_FRACTION` of the grid is missing. Otherwise
    (None, 0): the dates are irregular."""
    whole = _infer_freq(index)
    if whole is not None or len(index) < 5:
        return whole, 0
    from collections import Counter

    votes: Counter = Counter()
    for start in range(0, len(index) - 4, max(1, (len(index) - 4) // 64)):
        f = _infer_freq(index[start:start + 5])
        if f is not None:
            votes[f] += 1
    for cand, _ in votes.most_common(4):
        try:
            grid = pd.date_range(index[0], index[-1], freq=cand)
        except (ValueError, TypeError):
            continue
        missing = len(grid) - len(index)
        if 0 <= missing <= MAX_GAP_FRACTION * len(grid) and index.isin(grid).all():
            return cand, missing
    return None, 0


def _numeric(raw: pd.Series, source: str, name: str, index):
    labels = list(raw.index) if index is None else [str(d.date()) for d in index]
    if pd.api.types.is_bool_dtype(raw) or (
            raw.dtype == object and bool(raw.map(lambda v: isinstance(v, (bool, np.bool_))).any())):
        raise DataError(f"{source}: column {name!r} is boolean, expected numbers")
    num = pd.to_numeric(raw, errors="coerce")
    bad = num.isna().to_numpy() & raw.notna().to_numpy()
    if bad.any():
        shown = [f"{labels[i]}: {raw.iloc[i]!r}" for i in np.flatnonzero(bad)[:5]]
        raise DataError(f"{source}: column {name!r} has {int(bad.sum())} non-numeric values "
                        f"(rows {'; '.join(shown)}); choose a numeric column or clean the file")
    return num.to_numpy(dtype=np.float64), labels


_NUMERIC_DATE = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}"  # 01/02/2015, 31.12.2020


def _to_dates(col: pd.Series, dayfirst: bool) -> pd.DatetimeIndex:
    import warnings

    with warnings.catch_warnings():  # pandas warns when dayfirst disagrees with its guess
        warnings.simplefilter("ignore")
        return pd.DatetimeIndex(pd.to_datetime(col, errors="raise", dayfirst=dayfirst))


def _day_first(col: pd.Series, source: str, name) -> bool:
    """Whether dates written dd/mm/yyyy or mm/dd/yyyy put the day first. A field above 12
    decides; otherwise the reading whose dates increase on a regular calendar is taken,
    and a column both readings fit is refused rather than guessed."""
    fields = col.astype(str).str.extract(_NUMERIC_DATE)
    if fields.isna().to_numpy().any():
        return False  # not (all) of that form: pandas' own reading
    first, second = fields[0].astype(int), fields[1].astype(int)
    if (first > 12).any() or (second > 12).any():
        return bool((first > 12).any())
    fits = []
    for dayfirst in (False, True):
        try:
            idx = _to_dates(col, dayfirst)
        except (ValueError, TypeError):
            continue
        if idx.is_monotonic_increasing and idx.is_unique and \
                infer_freq_with_gaps(idx)[0] is not None:
            fits.append(dayfirst)
    if len(fits) == 1:
        return fits[0]
    raise DataError(f"{source}: date column {name!r} holds dates like {col.iloc[0]!r} that read "
                    f"as day/month and as month/day alike; write them as ISO dates "
                    f"(2015-02-01), or pass date_column=False (--date-column none)")


def _parse_dates(col: pd.Series, source: str, name) -> pd.DatetimeIndex:
    try:
        text = col.dtype == object or pd.api.types.is_string_dtype(col)
        idx = _to_dates(col, _day_first(col, source, name) if text else False)
    except (ValueError, TypeError) as e:
        bad = _unparsed_dates(col)
        what = (f"values that are not dates ({bad})" if bad
                else f"dates in mixed formats ({str(e).split('. You might')[0][:120]})")
        raise DataError(f"{source}: date column {name!r} has {what}; fix them in the file (one "
                        f"format, e.g. 2020-01-31), or pass date_column=False (--date-column "
                        f"none) to ignore the column") from None
    if not idx.is_monotonic_increasing:
        raise DataError(f"{source}: date column {name!r} is not in increasing order; sort the file")
    dup = idx.duplicated(keep=False)
    if dup.any():
        raise DataError(f"{source}: date column {name!r} repeats dates ({_rows(dup, idx)}); "
                        f"expected one value per date: drop or aggregate the repeated rows")
    return idx


def _unparsed_dates(col: pd.Series) -> str:
    """The first values pandas cannot read as dates, with their rows counted from 1 after
    the header ("" when each alone parses, i.e. the column mixes formats)."""
    bad = []
    for i, v in enumerate(col):
        if pd.isna(v):
            bad.append(f"data row {i + 1}: empty")
        else:
            try:
                _to_dates(pd.Series([str(v)]), False)
            except (ValueError, TypeError):
                bad.append(f"data row {i + 1}: {str(v)[:40]!r}")
        if len(bad) == 3:
            break
    return ", ".join(bad)


def check_not_constant(values: np.ndarray, name: str = "series") -> None:
    if np.ptp(values) == 0:
        raise DataError(f"{name} is constant (every value is {values[0]:g}); there is nothing "
                        f"to learn: a forecast is that value. Pass a series that varies")


def split_sizes(n: int, test_size: Union[int, float]) -> int:
    """Number of test points: an int count, or a fraction in (0, 1) of ``n``."""
    if isinstance(test_size, bool) or test_size is None:
        raise DataError(f"test size must be a count or a fraction, got {test_size!r}")
    if isinstance(test_size, float) and not float(test_size).is_integer() or 0 < test_size < 1:
        if not 0 < test_size < 1:
            raise DataError(f"test fraction must be in (0, 1), got {test_size}")
        return max(1, int(round(n * test_size)))
    k = int(test_size)
    if k < 0 or k >= n:
        raise DataError(f"test size {k} must be between 0 and the series length {n} - 1")
    return k


def chronological_split(values: np.ndarray, test_size: Union[int, float]):
    """(train, test): the last ``test_size`` points (count or fraction) are the test part."""
    k = split_sizes(len(values), test_size)
    return values[: len(values) - k], values[len(values) - k:]
