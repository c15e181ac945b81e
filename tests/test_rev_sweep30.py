"""Review of sweep30 / sweep30b (session 30): what the reviewer found and mended."""

from __future__ import annotations

import pytest

DJI = "/work/shared/data/dji_stooq_2018-02-13_2023-02-10.csv"


def test_stooq_date_column_false_reads_no_dates_as_a_csv_file_does(tmp_path, monkeypatch):
    # (``date_column or "Date"`` read date_column=False, "no dates", as the Date column)
    from rnnlab.data.datasets import resolve_data
    from rnnlab.data.stooq import fetch_stooq

    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))
    raw = open(DJI, "rb").read()  # (a recorded download: no network)
    fetch_stooq("^DJI", fetch=lambda url: raw)
    from_file = resolve_data(DJI, column="Close", date_column=False)
    from_stooq = resolve_data("stooq:^DJI", date_column=False)
    assert from_file.index is None and from_stooq.index is None
    assert (from_stooq.values == from_file.values).all()
    assert resolve_data("stooq:^DJI").index is not None  # (the default: its dates, as before)
