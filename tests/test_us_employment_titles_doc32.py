"""fpp3 filters us_employment by Title; load_panel("us_employment") has no Title column
(the industries are us_employment_titles(), a table of their own) and the docs did not
say how to filter by it: docs/panels.md's line runs as written."""

import re
from pathlib import Path

from rnnlab.panel import load_panel, us_employment_titles

DOC = Path(__file__).resolve().parents[1] / "docs" / "panels.md"


def test_the_documented_filter_by_title_keeps_that_industry_only():
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"`(t = us_employment_titles\(\); retail = [^`]+)`", text)
    assert found, "docs/panels.md lost the filter by Title"
    names = {"us_employment_titles": us_employment_titles,
             "panel": load_panel("us_employment")}
    exec(found.group(1), names)
    retail, titles = names["retail"], us_employment_titles().set_index("unique_id")["Title"]
    assert len(retail.ids) >= 1 and set(titles[list(retail.ids)]) == {"Retail Trade"}
    assert set(retail.df["unique_id"]) == set(retail.ids)
