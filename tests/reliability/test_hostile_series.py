"""Hostile data for the series loader: only DataError escapes, with a message naming the
file and the problem, and memory stays bounded (checked in a subprocess with getrusage)."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnnlab.data.datasets import resolve_data
from rnnlab.data.series import MAX_COLUMNS, MAX_CSV_BYTES, MAX_LINE_BYTES, Series, load_series
from rnnlab.io.errors import DataError

# numpy.exceptions is numpy >= 1.25; numpy < 2 also has the class at the top level
COMPLEX_WARNING = ("numpy.exceptions.ComplexWarning" if hasattr(np, "exceptions")
                   else "numpy.ComplexWarning")

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
SRC = str(Path(__file__).parents[2] / "src")


def _write_wide(p: Path, columns: int):
    p.write_bytes(b",".join(b"c%d" % i for i in range(columns)) + b"\n"
                  + b",".join(b"1" for _ in range(columns)) + b"\n")


def _write_long_line(p: Path, nbytes: int):
    with open(p, "wb") as f:
        f.write(b"value\n")
        block = b"7" * (1 << 20)
        for _ in range(nbytes >> 20):
            f.write(block)
        f.write(b"\n")


def _write_sparse(p: Path, nbytes: int):
    with open(p, "wb") as f:
        f.write(b"value\n1\n")
        f.truncate(nbytes)  # a 2 GB file in no time (sparse)


HOSTILE = {
    # name: (writer, words the message must contain)
    "million_columns.csv": (lambda p: _write_wide(p, 1_000_000), ["longer than"]),
    "wide_header.csv": (lambda p: p.write_bytes(b",".join([b"c"] * (MAX_COLUMNS + 5)) + b"\n1\n"),
                        ["columns"]),
    "two_gigabytes.csv": (lambda p: _write_sparse(p, 2 * 1024 ** 3), ["bytes", "refused"]),
    "long_line.csv": (lambda p: _write_long_line(p, 8 * MAX_LINE_BYTES), ["line 2", "longer than"]),
    "latin1.csv": (lambda p: p.write_bytes(b"date,value,note\n2020-01-01,1,ok\n"
                                           b"2020-01-02,2,caf\xe9\n"), ["UTF-8", "line 3", "iconv"]),
    "nul.csv": (lambda p: p.write_bytes(b"value\n1\n2\x00\n3\n"), ["NUL"]),
    "empty.csv": (lambda p: p.write_bytes(b""), ["empty"]),
    "blank_lines.csv": (lambda p: p.write_bytes(b"\n\n\n"), ["no columns"]),
    "ragged.csv": (lambda p: p.write_bytes(b"a,b\n1,2\n3,4,5,6\n"), ["cannot be read as CSV"]),
    "text_only.csv": (lambda p: p.write_bytes(b"name\nfoo\nbar\n"), ["no numeric column"]),
    "a_directory": (lambda p: p.mkdir(), ["is a directory"]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_csv_refused_with_a_clear_message(tmp_path, name):
    write, words = HOSTILE[name]
    p = tmp_path / name
    write(p)
    with pytest.raises(DataError) as e:
        load_series(p)
    msg = str(e.value)
    assert str(p) in msg, msg
    for w in words:
        assert w in msg, msg
    # the same through the names users pass on the command line
    with pytest.raises(DataError):
        resolve_data(str(p))


def test_utf8_bom_and_crlf_are_fine(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufeffdate,value\r\n2020-01-01,1\r\n2020-01-02,2\r\n2020-01-03,4\r\n".encode())
    s = load_series(p)
    assert s.values.tolist() == [1.0, 2.0, 4.0] and s.index is not None


def test_big_hostile_files_use_bounded_memory(tmp_path):
    """Peak RSS while refusing a 2 GB file and a 64 MB line stays far below their size."""
    _write_sparse(tmp_path / "big.csv", 2 * 1024 ** 3)
    _write_long_line(tmp_path / "line.csv", 64 * 1024 ** 2)
    _write_wide(tmp_path / "wide.csv", 1_000_000)
    code = textwrap.dedent(f"""
        import json, resource, sys
        from rnnlab.data.series import load_series
        from rnnlab.io.errors import DataError
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out = {{}}
        for name in ("big.csv", "line.csv", "wide.csv"):
            try:
                load_series({str(tmp_path)!r} + "/" + name)
                out[name] = "accepted"
            except DataError as e:
                out[name] = str(e)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({{"grew_kb": after - before, "results": out}}))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert all(v != "accepted" for v in res["results"].values()), res
    assert res["grew_kb"] < 48 * 1024, res  # < 48 MB of growth for 2 GB + 64 MB + 7 MB of input


def test_limits_are_what_the_docs_say():
    assert MAX_CSV_BYTES == 256 * 1024 ** 2 and MAX_LINE_BYTES == 1024 ** 2 and MAX_COLUMNS == 10_000
    import rnnlab.data.series as S

    for words in ("256 MiB", "1 MiB", "10,000"):
        assert words in S.__doc__


@pytest.mark.parametrize("header, refused", [(b"date,y", False),
                                             (b",".join([b"c"] * (MAX_COLUMNS + 5)), True)])
def test_a_header_with_no_newline_is_checked_and_no_file_is_left_open(tmp_path, header,
                                                                      refused):
    """A file that is one header line with no newline was read a second time, by a handle
    never closed (a ResourceWarning: "unclosed file")."""
    import gc
    import warnings

    from rnnlab.data.csv_file import check_csv_file

    p = tmp_path / "h.csv"
    p.write_bytes(header)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        if refused:
            with pytest.raises(DataError, match="the header has more than 10,000 columns"):
                check_csv_file(p)
        else:
            check_csv_file(p)
        gc.collect()
    assert not [w for w in said if issubclass(w.category, ResourceWarning)], said


def _only_data_error(fn):
    try:
        out = fn()
    except DataError as e:
        assert str(e)
        return None
    assert isinstance(out, Series)
    assert np.isfinite(out.values).all() and len(out.values) > 0
    return out


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from([None, 0, 1, -1, "value", "Close", "7"]),
       st.sampled_from([None, False, "date"]), st.sampled_from([None, "ffill", "drop"]))
def test_arbitrary_bytes_as_csv(tmp_path, data, column, date_column, fill):
    p = tmp_path / "f.csv"
    p.write_bytes(data)
    _only_data_error(lambda: load_series(p, column=column, date_column=date_column, fill=fill))


_csv_cells = st.one_of(st.integers(-10**20, 10**20).map(str), st.floats().map(repr),
                       st.sampled_from(["", "nan", "inf", "-inf", "NA", "1e999", "2020-01-01",
                                        "0x1F", "1,5", '"', "'", "#", "\\", "\r", "é", "\u2028"]),
                       st.text(max_size=6))


@SETTINGS
@given(st.lists(st.lists(_csv_cells, min_size=1, max_size=4), min_size=1, max_size=8),
       st.sampled_from([None, 0, 1, "value", "date"]))
def test_csv_like_text(tmp_path, rows, column):
    p = tmp_path / "f.csv"
    header = ",".join(["date", "value", "x", "y"][:max(len(r) for r in rows)])
    p.write_text(header + "\n" + "\n".join(",".join(r) for r in rows), encoding="utf-8")
    _only_data_error(lambda: load_series(p, column=column))


_values = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(),
                    st.text(max_size=5), st.sampled_from(["2020-01-01", "1e3", "nan"]),
                    st.datetimes().map(pd.Timestamp), st.complex_numbers(),
                    st.lists(st.integers(), max_size=2), st.binary(max_size=3))


@pytest.mark.filterwarnings(f"error::{COMPLEX_WARNING}")  # no silent real part
@SETTINGS
@given(st.dictionaries(st.one_of(st.text(max_size=5), st.integers(-3, 3)),
                       st.lists(_values, min_size=0, max_size=6), min_size=0, max_size=4),
       st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=5), st.sampled_from(["date", "0"])),
       st.sampled_from([None, False, "date", "month", 0]),
       st.sampled_from([None, "ffill", "bfill", "interpolate", "drop", "bogus"]))
def test_arbitrary_frames(cols, column, date_column, fill):
    n = max((len(v) for v in cols.values()), default=0)
    frame = pd.DataFrame({k: pd.Series(v + [None] * (n - len(v)), dtype=object)
                          for k, v in cols.items()})
    _only_data_error(lambda: load_series(frame, column=column, date_column=date_column, fill=fill))
    if len(frame.columns):
        first = frame[frame.columns[0]]
        _only_data_error(lambda: load_series(first, fill=fill))
        _only_data_error(lambda: load_series(first.to_numpy(), fill=fill))


@pytest.mark.parametrize("data", [pd.Series([1 + 2j, 3, 4] * 10), np.array([1, 2, 3 + 1j] * 10),
                                  pd.DataFrame({"v": [1.0, 2.0, 3.0] * 10,
                                                "w": [1, 2j, 3] * 10})])
def test_complex_numbers_are_refused_not_cut_to_their_real_part(data):
    with pytest.raises(DataError, match=r"imaginary part \((0|1|2): .*j\).*np.real / np.imag"):
        load_series(data, column="w" if isinstance(data, pd.DataFrame) else None)
    # a zero imaginary part loses nothing: read as the real numbers
    assert load_series(pd.Series([1, 2, 3 + 0j, 5] * 5)).values[:4].tolist() == [1, 2, 3, 5]


def test_a_complex_history_is_refused_naming_the_position():
    from rnnlab.forecast.history import checked_history

    h = np.arange(10.0) + np.where(np.arange(10) == 7, 2j, 0)
    with pytest.raises(ValueError, match=r"history: column 'values' holds 1 numbers with an "
                                         r"imaginary part \(position 7: \(7\+2j\)\)"):
        checked_history(h)
    assert checked_history(np.arange(3.0) + 0j).tolist() == [0.0, 1.0, 2.0]


@SETTINGS
@given(st.one_of(st.lists(st.floats(), max_size=6),
                 st.lists(st.lists(st.floats(), min_size=0, max_size=3), max_size=3),
                 st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=5)))
def test_arbitrary_arrays(values):
    def go():
        return load_series(np.asarray(values, dtype=object) if values and isinstance(values[0], list)
                           and len({len(v) for v in values}) > 1 else np.asarray(values))
    try:
        _only_data_error(go)
    except ValueError as e:  # numpy's own refusal to build a ragged array, before rnnlab
        assert "inhomogeneous" in str(e) or "sequence" in str(e)
