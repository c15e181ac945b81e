"""Leftovers of session 30's reviews: a column named 0 is a column (read_panel), static
tables whose ids read alike, nn modules split by idea."""
import pandas as pd
import pytest

from rnnlab.io.errors import DataError


def test_id_column_named_0_is_named_in_the_repeated_rows_hint():
    # a frame read with header=None names its columns 0, 1, ...: id_column=0 is a column,
    # and the hint to add a key column kept it (it was taken for no id column)
    from rnnlab.panel import read_panel

    df = pd.DataFrame({0: ["a"] * 4, 1: ["2020-01-01", "2020-01-01", "2020-02-01", "2020-02-01"],
                       2: [1.0, 2.0, 3.0, 4.0], 3: ["x", "y", "x", "y"]})
    with pytest.raises(DataError, match=r"id_column=\['0', '3'\] with the columns named as "
                                        r"text .* \(--id-column 0,3\)"):
        read_panel(df, id_column=0, date_column=1, target=2)


@pytest.mark.parametrize("given", [{"id_column": 0}, {"date_column": 0}, {"target": ""}])
def test_a_built_in_panel_read_with_a_column_named_0_or_blank_refuses_it(given):
    # read_panel('visnights', id_column=0) read the built-in's own Region column instead
    from rnnlab.panel import read_panel

    name = next(iter(given))
    with pytest.raises(DataError, match=rf"{name.split('_')[0]} column {given[name]!r} not "
                                        r"found; columns are \['Region', 'Quarter', 'Nights'\]"):
        read_panel("visnights", **given)
