"""Fuzzing the panel CSV reader (rnnlab.panel.frame.read_panel) cell by cell: a cell
replaced by NaN, inf, a huge number, a date out of range, a quote; a cell added or
removed; a row repeated. Each file, plain or gzip-compressed, loads to a checked panel
or is refused with a DataError naming it (seeded)."""

from __future__ import annotations

import gzip
import random

import pandas as pd
import pytest

from fuzz_files import check_case

NASTY = ["", "nan", "inf", "-inf", "1e400", "9" * 400, "-0", "1,5", '"', "\x00", "NA",
         "2020-13-45", "1970-01-01", "9999-12-31", "2262-04-12", "-1", " 1 ", "é", "s0", "ds", "a" * 500]
PANEL = "unique_id,ds,y,x\n" + "".join(f"s{i},2020-01-{d:02d},{d + i}.5,{d % 3}\n"
                                       for i in range(3) for d in range(1, 21))


def cell_edit(text: str, rng: random.Random) -> str:
    """``text`` with one cell replaced, added or removed, or one row repeated."""
    lines = text.split("\n")
    k = rng.randrange(len(lines) - 1)
    cells, op = lines[k].split(","), rng.randrange(6)
    if op <= 2:
        cells[rng.randrange(len(cells))] = rng.choice(NASTY)
    elif op == 3:
        cells.append(rng.choice(NASTY))
    elif op == 4:
        del cells[rng.randrange(len(cells))]
    else:
        lines.insert(rng.randrange(len(lines)), lines[k])
    lines[k] = ",".join(cells)
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["p.csv", "p.csv.gz"])
def test_panel_csv_cells_edited(tmp_path, name):
    """p.csv.gz with a row of one field more, or an unclosed quote, was a pandas ParserError
    (its reading skipped the checked reader's error handling)."""
    from rnnlab.panel.frame import read_panel

    path, fails = tmp_path / name, []
    for seed in range(30):
        rng, text = random.Random(seed), PANEL
        for _ in range(1 + rng.randrange(3)):
            text = cell_edit(text, rng)
        data = text.encode()
        path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
        line = check_case(f"{name} cells{seed}", False, lambda: read_panel(str(path)),
                          lambda p: p.df, None, lambda got, exp: True)
        fails += [line] if line else []
    assert not fails, "\n".join(fails)


def test_panel_csv_gz_row_of_more_fields_is_refused(tmp_path):
    from rnnlab.io.errors import DataError
    from rnnlab.panel.frame import read_panel

    path = tmp_path / "p.csv.gz"
    path.write_bytes(gzip.compress(PANEL.replace("s1,2020-01-05,6.5,2",
                                                 "s1,2020-01-05,6.5,2,7").encode()))
    with pytest.raises(DataError, match=r"p\.csv\.gz: cannot be read as CSV \(Error "
                                        r"tokenizing data.*Expected 4 fields"):
        read_panel(str(path))


def test_panel_date_typed_wrong_is_refused_before_its_calendar_is_built(tmp_path):
    """One date 9999-12-31 among 20 daily rows: read_panel built 2.9 million empty rows for
    the series (20 s here; gigabytes with hourly data) before refusing their NaN values
    (and its hint, fill='ffill', would have trained on them)."""
    from rnnlab.io.errors import DataError
    from rnnlab.panel.frame import read_panel

    path = tmp_path / "p.csv"
    path.write_text(PANEL.replace("s0,2020-01-20,", "s0,9999-12-31,"))
    match = (r"series 's0' runs from 2020-01-01 to 9999-12-31: more than 100,000 dates of "
             r"its 'D' calendar for 20 rows .*a date typed wrong")
    if int(pd.__version__.split(".")[0]) < 3:  # (Python 3.10's: its dates end in 2262)
        # was: "values that are not dates (Out of bounds nanosecond timestamp: ..., You might
        # want to try: - passing `format` ...); write them as ISO dates": they were
        match = (r"date column 'ds' has a date outside the years pandas 2\.\S+ holds, 1677 to "
                 r"2262 \(Out of bounds nanosecond timestamp: 9999-12-31, at position 19\): a "
                 r"date typed wrong\? Fix it in the file$")
    with pytest.raises(DataError, match=match):
        read_panel(str(path))


def test_panel_sparse_series_is_still_filled(tmp_path):
    """A series of few rows over years (sales on some days, filled with zero) loads."""
    from rnnlab.panel.frame import read_panel

    days = [f"202{y}-{m:02d}-01" for y in range(3) for m in range(1, 13)]
    path = tmp_path / "p.csv"
    path.write_text("unique_id,ds,y\n" + "".join(f"a,{d},1\n" for d in days))
    panel = read_panel(str(path), freq="D", fill="zero")
    assert len(panel.df) == 366 + 365 + 365 - 30 and panel.df["y"].sum() == 36
