"""CSV files checked before pandas reads them, then read in their own dialect.

One streaming pass of 1 MiB chunks (a hostile file costs little memory) refuses, with a
DataError naming the file and the fix: more than ``MAX_CSV_BYTES`` (256 MiB), a line
longer than ``MAX_LINE_BYTES`` (1 MiB), more than ``MAX_COLUMNS`` (10,000) header
fields, bytes that are not UTF-8 (a BOM is allowed), NUL bytes, an empty file. The
field separator is the header's (comma, semicolon with decimal commas, or tab).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Union

import numpy as np
import pandas as pd

from ..io.errors import DataError
from ..io.unreadable import read_failure
from .binary_given import binary_hint, refuse_packed
from .csv_floats import EXACT_FLOATS
from .decimal_commas import decimal_commas, grouped_decimal_commas
from .json_given import refuse_json

MAX_CSV_BYTES = 256 * 1024 ** 2  # larger CSV files are refused (a univariate series is far smaller)
MAX_LINE_BYTES = 1024 ** 2  # a longer line is refused without being read into memory whole
MAX_COLUMNS = 10_000  # header fields
_CHUNK = 1024 ** 2
LARGE_CSV_BYTES = 32 * 1024 ** 2  # larger files are read in chunks, ISO dates parsed per chunk
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}"


def require_column(df: pd.DataFrame, name, what: str = "column", source=None,
                   hint: str = "") -> None:
    """DataError unless ``df`` has the column ``name``: what was asked for, the columns
    there are, the one meant when ``name`` is close to it, and ``hint`` (what to pass
    instead)."""
    if name not in df.columns:
        from .close_names import close_name_hint
        from .name_forms import other_form_hint

        hint = (other_form_hint([name], df.columns)  # (alike in print: 'año', 'año')
                or close_name_hint(name, df.columns)) + hint  # ('Value' for 'value ')
        raise DataError(f"{f'{source}: ' if source else ''}{what} {name!r} not found; columns "
                        f"are {[str(c) for c in df.columns]}{hint}")


def _open_sized(path: Path):
    """``path`` opened for reading in binary, once it is a regular file of 1 to
    MAX_CSV_BYTES bytes (a DataError otherwise)."""
    import stat

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # (/dev/zero was "the file is empty")
            raise DataError(f"{path}: not a regular file (a device, pipe or socket); expected "
                            f"a CSV file: copy the data into one")
        size = st.st_size
        if size == 0:
            raise DataError(f"{path}: the file is empty; expected a CSV file with a header "
                            f"line and one row per time step")
        if size > MAX_CSV_BYTES:
            raise DataError(f"{path}: {size:,} bytes; CSV files larger than {MAX_CSV_BYTES:,} "
                            f"bytes are refused (a series is far smaller: keep the column you "
                            f"need)")
        return open(path, "rb")
    except OSError as e:
        raise DataError(read_failure(path, e)) from None


def _check_utf8(decoder, chunk: bytes, prev: bytes, offset: int, line: int, path) -> None:
    """Feed ``chunk`` (at byte ``offset``, line ``line``, after ``prev``) to the incremental
    UTF-8 ``decoder``; a byte that is not UTF-8 is refused as the text readers refuse it
    (:func:`~rnnlab.data.text_encoding.not_utf8_error`: a UTF-8 file with stray bytes is
    told to drop them, not to convert from latin1), with its line."""
    from .text_encoding import EXCEL_HINT, not_utf8_error

    held = decoder.getstate()[0]  # a character's first bytes, from the chunks before
    try:
        decoder.decode(chunk, final=not chunk)
    except UnicodeDecodeError as e:  # (e.start counts from the held bytes' first)
        start = e.start - len(held)  # in chunk (< 0: a character begun in the chunk before)
        before = prev if prev.endswith(held) else held
        bad_line = line + int(chunk[:max(start, 0)].count(b"\n"))
        raise not_utf8_error(before + chunk, len(before) + start, offset + start, path,
                             "fixed.csv", where=f", line {bad_line}",
                             resave=EXCEL_HINT) from None


def check_csv_file(path: Path) -> None:
    """Refuse (DataError) a file that is not a reasonable CSV, streaming it in 1 MiB chunks:
    empty, larger than MAX_CSV_BYTES, a line longer than MAX_LINE_BYTES, more than
    MAX_COLUMNS header fields, NUL bytes, or not UTF-8. A compressed file is refused
    here, saying what it is: :func:`read_csv_checked` checks the text it holds."""
    import codecs

    from .text_encoding import utf16_error

    f = _open_sized(path)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    offset, line, cur, header_checked = 0, 1, 0, False  # cur: length of the unfinished line
    prev = b""  # the chunk before (the message reads the text around a bad byte)
    with f:
        while True:
            try:
                chunk = f.read(_CHUNK)
            except OSError as e:
                raise DataError(read_failure(path, e)) from None
            a = np.frombuffer(chunk, dtype=np.uint8)
            if offset == 0:
                refuse_packed(path, chunk)
                refuse_json(path, chunk)  # (was "no rows": its one line read as a header)
                wide = utf16_error(chunk, path, "csv")
                if wide is not None:
                    raise wide
            if (a == 0).any():
                raise DataError(f"{path}: contains NUL bytes (at byte {offset + int(np.argmax(a == 0))}"
                                f"); this looks like a binary file, not a CSV text file"
                                f"{binary_hint(path)}")
            _check_utf8(decoder, chunk, prev, offset, line, path)
            prev = chunk
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
                if not header_checked:  # (no newline: the header is the whole file; it
                    f.seek(0)  # was read from a second handle, never closed)
                    if f.read(MAX_LINE_BYTES + 1).count(b",") + 1 > MAX_COLUMNS:
                        raise DataError(f"{path}: the header has more than {MAX_COLUMNS:,} "
                                        f"columns; refused")
                break
            offset += len(a)


def _layout(path: Path) -> tuple:
    """(the header line's field separator, the lines above the header to skip), from the
    first line, read once: the separator is ',' unless that line has more ';' or tabs than
    commas; a first line ``sep=;`` (Excel's CSV export writes it above the header) names
    it and is skipped (1), else nothing is (0)."""
    with open(path, "rb") as f:
        head = f.readline(MAX_LINE_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
    if _sep_line(head):
        return head[4], 1
    counts = {sep: head.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return (best if counts[best] > counts[","] else ","), 0


def _sep_line(head: str) -> bool:
    head = head.rstrip("\r\n")
    return len(head) == 5 and head.startswith("sep=") and head[4] in ",;\t|"


# what pandas raises for a damaged or misshapen file (EmptyDataError is a ValueError)
CSV_READ_ERRORS = (pd.errors.ParserError, UnicodeDecodeError, ValueError, OverflowError,
                   MemoryError, OSError)


def read_csv_checked(path) -> pd.DataFrame:
    """:func:`check_csv_file`, then pandas; every failure is a DataError naming the file.
    A compressed file (gzip, bzip2, xz, a zip of one file) is read as the text it holds
    (:mod:`.packed_files`: at most MAX_CSV_BYTES of it)."""
    from .packed_files import unpacked

    with unpacked(path, MAX_CSV_BYTES, "CSV files") as plain:
        return _read_checked(plain)


def _read_checked(path: Path) -> pd.DataFrame:
    check_csv_file(path)
    try:
        df = _read(path)
        n = _filled_length(df)
        return _read(path, nrows=n) if 0 < n < len(df) else df  # (dtypes as without them)
    except CSV_READ_ERRORS as e:
        raise csv_error(path, e) from None


def csv_error(path: Union[str, Path], e: BaseException) -> DataError:
    """The DataError naming ``path`` (or the source read) for ``e``, one of
    :data:`CSV_READ_ERRORS` that pandas raised reading it."""
    if isinstance(e, pd.errors.EmptyDataError):
        return DataError(f"{path}: no columns (only blank lines?); expected a CSV file with a "
                         f"header line")
    msg = str(e).splitlines()[0][:300] if str(e) else type(e).__name__
    return DataError(f"{path}: cannot be read as CSV ({msg})")


def _read(path: Path, nrows: Optional[int] = None) -> pd.DataFrame:
    """The table in the file's dialect: its separator, decimal commas with ';' (and with tabs
    where a number shows them), the lines above the header skipped; its first ``nrows``."""
    sep, skip = _layout(path)
    if sep == ";":  # the European export: decimal commas, unless the numbers have points
        df = grouped_decimal_commas(pd.read_csv(path, encoding="utf-8", sep=";", decimal=",",
                                                skiprows=skip, nrows=nrows, **EXACT_FLOATS))
        if not any(pd.api.types.is_numeric_dtype(df[c]) for c in df.columns):
            df = pd.read_csv(path, encoding="utf-8", sep=";", skiprows=skip, nrows=nrows,
                             **EXACT_FLOATS)
        return df
    if path.stat().st_size > LARGE_CSV_BYTES and not skip and nrows is None:
        df = _read_large(path, sep)
        if df is not None:
            return df
    df = pd.read_csv(path, encoding="utf-8", sep=sep, skiprows=skip, nrows=nrows, **EXACT_FLOATS)
    if sep == "\t" and decimal_commas(df):  # (German Excel's "Text (tab delimited)")
        df = grouped_decimal_commas(pd.read_csv(path, encoding="utf-8", sep=sep,
                                                decimal=",", skiprows=skip, nrows=nrows,
                                                **EXACT_FLOATS))
    return df


def _filled_length(df: pd.DataFrame) -> int:
    """The rows of ``df`` up to its last one with a field filled: Excel writes a cleared row
    as ``;;`` (pandas drops a blank line, not that row, which was refused as a date or a
    value missing in the last row)."""
    filled = np.flatnonzero(df.notna().any(axis=1).to_numpy())
    return int(filled[-1]) + 1 if len(filled) else len(df)


def column_text(path, column, nrows: Optional[int] = None) -> pd.Series:
    """One column of a CSV (read by :func:`read_csv_checked` before) as the text written,
    not parsed: ``007`` stays ``'007'``. A compressed file is read as
    :func:`read_csv_checked` read it: its text, in its dialect (a ``.gz`` was read as
    commas, any other kind as its compressed bytes: a traceback for ``--future``)."""
    from .packed_files import unpacked

    with unpacked(path, MAX_CSV_BYTES, "CSV files") as plain:
        sep, skip = _layout(plain)
        return pd.read_csv(plain, encoding="utf-8", sep=sep, usecols=[column], dtype=str,
                           keep_default_na=False, skiprows=skip, nrows=nrows)[column]


def _read_large(path: Path, sep: str, rows: int = 250_000):
    """A large CSV read ``rows`` at a time, each text column of ISO dates (2020-01-31,
    2020-01-31T10:00) converted to datetime64 chunk by chunk: millions of date strings
    would otherwise be held as Python objects at once (~10x the file). None when a
    column's dates do not all parse as ISO (the caller reads the file as usual)."""
    parts: List[pd.DataFrame] = []
    for chunk in pd.read_csv(path, encoding="utf-8", sep=sep, chunksize=rows, **EXACT_FLOATS):
        for c in chunk.columns:
            col = chunk[c]
            if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
                continue
            if not col.astype(str).str.match(_ISO_DATE).all():
                if parts and any(pd.api.types.is_datetime64_dtype(p[c]) for p in parts):
                    return None  # dates in earlier chunks, something else here
                continue
            try:
                chunk[c] = pd.to_datetime(col, format="ISO8601")
            except (ValueError, TypeError, OverflowError):
                return None
        parts.append(chunk)
    return pd.concat(parts, ignore_index=True)
