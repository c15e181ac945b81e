"""Every list of the baseline --model names in the docs (``naive|seasonal_naive|...``)
names every baseline: rw_drift was added to README's and left out of docs/panels.md's."""

import re
from pathlib import Path

from rnnlab.panel.baseline_names import BASELINE_NAMES

ROOT = Path(__file__).resolve().parents[1]


def test_each_baseline_model_list_names_them_all():
    lists = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        lists += [(doc.name, m) for m in re.findall(r"naive\|seasonal_naive(?:\|[a-z_]+)+", text)]
    assert len(lists) >= 3
    for name, found in lists:
        assert set(found.split("|")) == set(BASELINE_NAMES), (name, found)
