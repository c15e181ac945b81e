"""Text read as numbers names the double Python's float() reads, on pandas 2 too (whose
``pd.to_numeric`` read 17 significant digits one ulp off: on Python 3.10, which installs
pandas 2 at most, the same table held other values than on 3.11+)."""

import numpy as np
import pandas as pd

from rnnlab.data import csv_floats
from rnnlab.data.csv_floats import exact_to_numeric, reread_mask
from rnnlab.data.series import load_series
from rnnlab.panel import read_panel

# 17 significant digits that pandas 2.3's to_numeric reads one ulp off (repr of doubles)
DIGITS = ["8043.3190087916555", "1844.6424213813398", "-3797.0486136133477",
          "93.73711634780557", "5872.1708426686755", "1261.3380473862367"]
EXACT = np.array([float(t) for t in DIGITS])


def test_exact_to_numeric_reads_text_as_float_does():
    got = exact_to_numeric(pd.Series(DIGITS + ["x", None], dtype=object), errors="coerce")
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got.to_numpy()[:6], EXACT)  # (exact, not allclose)
    assert got.isna().tolist()[6:] == [True, True]


def test_exact_to_numeric_keeps_ints_nullable_floats_and_what_pandas_refuses():
    assert exact_to_numeric(pd.Series(["1", "2"])).dtype == np.int64
    got = exact_to_numeric(pd.Series([DIGITS[0], None], dtype="string"))
    assert str(got.dtype) == "Float64" and got[0] == EXACT[0] and got.isna()[1]
    # float() reads '1_000' and Arabic digits; pandas does not, and neither does rnnlab
    assert exact_to_numeric(pd.Series(["1_000", "\u0661", "2.5"]), errors="coerce") \
        .isna().tolist() == [True, True, False]


def _dates(n):
    return pd.date_range("2020-01-01", periods=n, freq="MS").strftime("%Y-%m-%d")


def test_a_text_column_of_numbers_loads_exactly():
    s = load_series(pd.Series(DIGITS, index=pd.date_range("2020-01-01", periods=6,
                                                          freq="MS"), dtype=object))
    np.testing.assert_array_equal(s.values, EXACT)


def test_thousands_separators_load_exactly(tmp_path):
    text = ['"' + f"{x:,.13f}".rstrip("0") + '"' for x in EXACT[:3]]  # "8,043.3190087916555"
    assert text[0] == '"8,043.3190087916555"'
    (tmp_path / "t.csv").write_text("date,value\n" + "".join(
        f"{d},{t}\n" for d, t in zip(_dates(3), text)))
    np.testing.assert_array_equal(load_series(tmp_path / "t.csv").values, EXACT[:3])


def test_grouped_decimal_commas_load_exactly(tmp_path):
    text = ["8.043,3190087916555", "1.844,6424213813398", "-3.797,0486136133477"]
    (tmp_path / "t.csv").write_text("date;value\n" + "".join(
        f"{d};{t}\n" for d, t in zip(_dates(3), text)))
    np.testing.assert_array_equal(load_series(tmp_path / "t.csv").values, EXACT[:3])


def test_a_panel_s_text_target_and_covariate_load_exactly():
    df = pd.DataFrame({"unique_id": ["a"] * 3 + ["b"] * 3, "ds": list(_dates(3)) * 2,
                       "y": pd.Series(DIGITS, dtype=object),
                       "price": pd.Series(DIGITS[::-1], dtype=object)})
    p = read_panel(df)
    np.testing.assert_array_equal(p.df["y"].to_numpy(), EXACT)
    np.testing.assert_array_equal(p.df["price"].to_numpy(), EXACT[::-1])


_TO_NUMERIC = pd.to_numeric


def _one_ulp_off(col, errors="raise"):
    """pandas 2's parser as it reads 17 significant digits: one ulp off the nearest double."""
    num = _TO_NUMERIC(col, errors=errors)
    return num.where(num.isna(), np.nextafter(num.astype(float), np.inf).astype(num.dtype))


def test_exact_to_numeric_corrects_the_parser_on_every_pandas(monkeypatch):
    # pandas 3 hands to_numpy() as a read-only view: the re-read must still land
    monkeypatch.setattr(csv_floats.pd, "to_numeric", _one_ulp_off)
    monkeypatch.setattr(csv_floats, "PARSES_EXACTLY", False)  # (as pandas 2 and 3.0 are)
    got = exact_to_numeric(pd.Series(DIGITS + [None], dtype=object), errors="coerce")
    np.testing.assert_array_equal(got.to_numpy()[:6], EXACT)
    got = exact_to_numeric(pd.Series(DIGITS[:2] + [None], dtype="string"))
    assert str(got.dtype) == "Float64" and got[0] == EXACT[0] and got.isna()[2]


def test_only_text_pandas_2_may_misread_is_read_twice():
    # at most 15 characters and no exponent: pandas 2 reads it exactly (so it is not re-read)
    raw = np.array(["12345.678901234", " 1.5", "inf", "1e-30", "2.5E3",
                    "0.82161814350115836", "-0.000123456789012"], dtype=object)
    assert reread_mask(raw).tolist() == [False, False, False, True, True, True, True]
    mixed = np.array([1.5, "1.5", "1.25e-40", "93.73711634780557"], dtype=object)
    assert reread_mask(mixed).tolist() == [False, False, True, True]


def _repr_doubles(n=200_000):
    rng = np.random.default_rng(28)
    values = rng.standard_normal(n) * 10.0 ** rng.integers(-300, 300, n)
    return [repr(float(v)) for v in values]


def test_the_misread_digits_are_the_test_s():
    assert csv_floats.MISREAD == tuple(DIGITS)  # (the probe reads what pandas 2 misreads)


def test_where_pandas_parses_exactly_text_is_read_once_and_exactly(monkeypatch):
    """pandas 3.1 parses with fast_float: its to_numeric reads 17 significant digits as
    float() does, so exact_to_numeric no longer reads them a second time (1.5-2x slower
    on 1e6 values); pandas 2 and 3.0 misread a third of them, and are corrected."""
    text = _repr_doubles()
    exact = np.array([float(t) for t in text])
    if csv_floats.PARSES_EXACTLY:  # the judgment the skip rests on, on many values
        np.testing.assert_array_equal(pd.to_numeric(pd.Series(text, dtype=object)).to_numpy(),
                                      exact)

        def no_second_reading(*args):
            raise AssertionError("text read twice where pandas reads it exactly")

        monkeypatch.setattr(csv_floats, "_floats", no_second_reading)
    for dtype in (object, "string"):
        got = exact_to_numeric(pd.Series(text, dtype=dtype)).to_numpy(dtype=np.float64)
        np.testing.assert_array_equal(got, exact)


def test_read_csv_with_exact_floats_reads_as_float_does(tmp_path):
    """EXACT_FLOATS was {} on every pandas 3: pandas 3.0 still misread a third of these."""
    text = _repr_doubles(50_000)
    path = tmp_path / "v.csv"
    path.write_text("v\n" + "\n".join(text) + "\n")
    got = pd.read_csv(path, **csv_floats.EXACT_FLOATS)["v"].to_numpy()
    np.testing.assert_array_equal(got, np.array([float(t) for t in text]))
    assert csv_floats.EXACT_FLOATS == ({} if csv_floats.CSV_EXACT
                                       else {"float_precision": "round_trip"})
