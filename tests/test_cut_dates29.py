"""A panel CSV whose date is cut short (a file cut mid-line, "2002-0"): the error names the
value and its row, without pandas' advice on its own arguments ("passing `format='mixed'`
..."), which no one at the command line can pass and which ran over three lines."""

from __future__ import annotations

import pytest

from rnnlab.io.errors import DataError


def test_a_date_cut_short_is_named_with_its_row(tmp_path):
    from rnnlab.panel import read_panel

    rows = ["unique_id,ds,y"] + [f"{s},{2000 + i // 12}-{i % 12 + 1:02d}-01,{10 + i % 7}"
                                 for s in "ab" for i in range(40)]
    rows[30] = rows[30][:8]  # "a,2002-0"
    (tmp_path / "p.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataError) as got:
        read_panel(tmp_path / "p.csv")
    said = str(got.value)
    assert "date column 'ds' has values that are not dates" in said, said
    assert "row 29: '2002-0'); write them as ISO dates" in said, said
    assert "You might want to try" not in said and "\n" not in said, said
