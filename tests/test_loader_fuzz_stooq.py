"""Fuzzing the stooq cache reader (rnnlab.data.stooq): a cached CSV damaged (cut inside a
quote, a row of more fields, bytes flipped) is refused with a DataError naming the file
and what to do, never a pandas ParserError."""

from __future__ import annotations

import pytest

from fuzz_files import byte_mutations, check_case
from rnnlab.data.stooq import fetch_stooq
from rnnlab.io.errors import DataError

CSV = "Date,Open,High,Low,Close,Volume\n" + "".join(
    f"2020-01-{d:02d},{d},{d + 1},{d - 0.5},{d + 0.2},{1000 * d}\n" for d in range(1, 29))


def _offline(url):
    raise AssertionError(f"the cache was not read ({url})")


@pytest.mark.parametrize("edit", [lambda t: t.replace("2020-01-12,12", '2020-01-12,"12'),
                                  lambda t: t.replace("2020-01-12,12", "2020-01-12,12,7")],
                         ids=["quote-left-open", "row-of-more-fields"])
def test_stooq_cache_pandas_cannot_parse_is_refused(tmp_path, monkeypatch, edit):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))
    (tmp_path / "stooq").mkdir()
    (tmp_path / "stooq" / "_dji.csv").write_text(edit(CSV))
    with pytest.raises(DataError, match=r"_dji\.csv: cannot be read as CSV \(Error tokenizing"
                                        r".*a cached copy: remove it to download it again"):
        fetch_stooq("^DJI", fetch=_offline)


def test_stooq_cache_bytes_damaged(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CACHE", str(tmp_path))
    (tmp_path / "stooq").mkdir()
    path, fails = tmp_path / "stooq" / "_dji.csv", []
    for seed in range(3):
        for name, data in byte_mutations(CSV.encode(), seed, flips=15):
            path.write_bytes(data)
            line = check_case(name, False, lambda: fetch_stooq("^DJI", fetch=_offline),
                              lambda df: df, None, lambda got, exp: True)
            fails += [line] if line else []
    assert not fails, "\n".join(fails)
