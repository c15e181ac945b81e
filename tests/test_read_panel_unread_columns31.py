"""read_panel keeps every numeric column besides the id, date and target as a covariate
and refuses NaN in any: it cannot know which a model reads (the refusal is kept; fit(df)
and predict(history=df) given the table drop the columns their model does not read). The
README's read_panel(new_df, ...) example for a loaded model now says so, and the error
names read_panel's covariates=, which keeps only the columns named."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rnnlab.io.errors import DataError
from rnnlab.panel import read_panel

NEW = pd.DataFrame({"region": ["a"] * 4, "day": pd.date_range("2020", periods=4),
                    "demand": [1.0, 2.0, 3.0, 4.0], "temp": [1.0, 2.0, 3.0, 4.0],
                    "unused": [1.0, np.nan, 3.0, 4.0]})
NAMES = dict(id_column="region", date_column="day", target="demand")


def test_an_unread_column_with_nan_is_refused_naming_covariates():
    with pytest.raises(DataError, match=r"'unused' has 1 NaN.*covariates=\[\.\.\.\]"):
        read_panel(NEW, **NAMES)


def test_covariates_keeps_the_columns_a_model_reads():
    assert list(read_panel(NEW, **NAMES, covariates=["temp"]).df.columns) == [
        "unique_id", "ds", "y", "temp"]
    assert list(read_panel(NEW, **NAMES, covariates=[]).df.columns) == ["unique_id", "ds", "y"]


def test_the_readme_example_says_so():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    at = readme.index("history=read_panel(new_df,")
    said = " ".join(readme[at:at + 1200].split())
    assert "refuses NaN in any of them" in said and "covariates=[" in said
