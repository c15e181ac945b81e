"""What pandas 2 (all that Python 3.10 installs: pandas 3 needs 3.11) read otherwise than
pandas 3, with the suite run on 3.11 and pandas 3 only.

A CSV file's numbers: on pandas 2 a value written with 17 significant digits, as
``to_csv`` and rnnlab write computed values, read one unit in the last place off
(0.30000000000000004 as 0.30000000000000009); pandas 3 reads it exactly. The same file so
trained on other values under Python 3.10 than under 3.11.

A blank value of a panel's text column: pandas 2's ``astype(str)`` made it the text
'nan', a category of its own at fit, and a history with it blank was refused as a changed
static covariate ('s1': 'nan', fitted with 'b')."""

import gzip

import numpy as np
import pandas as pd
import pytest

from rnnlab.data.series import load_series
from rnnlab.panel.frame import read_panel

# pandas 2.3's default reader misreads each of these (checked one by one)
TEXTS = ["0.30000000000000004", "0.9772810662190627", "0.26608858802883594",
         "0.47216665373706026", "0.04097352393619469", "0.9127555772777217"]


def _values(n: int = 24) -> list:
    rng = np.random.default_rng(0)
    return TEXTS + [repr(float(v)) for v in 100 + rng.random(n - len(TEXTS))]


def test_a_series_file_reads_each_value_as_written(tmp_path):
    texts = _values()
    path = tmp_path / "s.csv"
    path.write_text("month,y\n" + "".join(f"2020-{1 + i % 12:02d}-01,{t}\n".replace(
        "2020", str(2000 + i // 12)) for i, t in enumerate(texts)))
    assert load_series(path, column="y").values.tolist() == [float(t) for t in texts]


def test_a_semicolon_file_with_decimal_commas_reads_each_value_as_written(tmp_path):
    texts = _values()
    path = tmp_path / "s.csv"
    path.write_text("t;y\n" + "".join(f"{i};{t.replace('.', ',')}\n"
                                      for i, t in enumerate(texts)))
    assert load_series(path, column="y").values.tolist() == [float(t) for t in texts]


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_a_panel_file_reads_each_value_as_written(tmp_path, suffix):
    texts = _values()
    body = "unique_id,ds,y\n" + "".join(f"a,2020-01-{1 + i:02d},{t}\n"
                                        for i, t in enumerate(texts))
    path = tmp_path / f"p{suffix}"
    path.write_bytes(gzip.compress(body.encode()) if suffix == ".csv.gz" else body.encode())
    panel = read_panel(str(path), freq="D")
    assert panel.df["y"].tolist() == [float(t) for t in texts]


def test_a_blank_value_of_a_text_column_stays_missing_not_the_text_nan():
    days = list(pd.date_range("2020-01-01", periods=3, freq="D"))
    df = pd.DataFrame({"unique_id": ["a"] * 3 + ["b"] * 3, "ds": days * 2, "y": range(6),
                       "kind": ["x", "x", "x", np.nan, None, "y"]})
    kind = read_panel(df).df["kind"]
    assert kind.isna().tolist() == [False] * 3 + [True, True, False]
    assert "nan" not in set(kind.dropna()) and kind.iloc[5] == "y"
