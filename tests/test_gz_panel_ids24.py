"""A gzip-compressed panel CSV keeps ids such as 007 as written, as a plain CSV does (it
read them as 7 and 10, and forecast under those) (session 24)."""

import gzip

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel


def _write(tmp_path, ids, name) -> str:
    rows = [(u, d.date(), float(10 + i + np.sin(i))) for u in ids
            for i, d in enumerate(pd.date_range("2020-01-01", periods=20, freq="D"))]
    text = pd.DataFrame(rows, columns=["unique_id", "ds", "y"]).to_csv(index=False)
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    return str(path)


@pytest.mark.parametrize("name", ["p.csv", "p.csv.gz"])
def test_zero_padded_ids_are_kept_as_written(tmp_path, name):
    panel = read_panel(_write(tmp_path, ["007", "010"], name))
    assert sorted(panel.df["unique_id"].unique()) == ["007", "010"]
    assert panel.ids == ("007", "010")


def test_plain_integer_ids_of_a_gz_panel_stay_numbers(tmp_path):
    plain = read_panel(_write(tmp_path, ["7", "10"], "p.csv"))
    packed = read_panel(_write(tmp_path, ["7", "10"], "p.csv.gz"))
    assert packed.ids == plain.ids == ("10", "7")
    assert packed.df.equals(plain.df)


def test_a_damaged_gz_panel_is_still_refused_naming_the_file(tmp_path):
    path = tmp_path / "p.csv.gz"
    path.write_bytes(gzip.compress(b"unique_id,ds,y\n007,2020-01-01,1\n007,2020-01-02,1,9\n"))
    with pytest.raises(DataError, match="p.csv.gz"):
        read_panel(str(path))
