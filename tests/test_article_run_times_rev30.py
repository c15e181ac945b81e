"""Run times docs/articles.md gives: each is a run record's ``seconds`` (in a sentence that
names the records), a recipe's time budget, or is said in its sentence to have no record.
Times from earlier sessions' runs on an idle CPU were given as if measured like the rest,
while no file holds them."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def test_every_run_time_is_a_records_a_budget_or_said_to_have_no_record():
    from rnnlab.compare import get_recipe

    if not RESULTS.is_dir():  # (an unpacked sdist has no benchmarks/results)
        pytest.skip("benchmarks/results is not here")
    recorded = {round(json.loads(p.read_text(encoding="utf-8"))["seconds"])
                for folder in ("articles", "articles-amd-epyc")
                for p in (RESULTS / folder).glob("*/results.json")}
    budgets = {c.max_seconds for c in get_recipe("deep-rnn-compare").configs().values()
               if c.max_seconds}
    doc = " ".join((ROOT / "docs" / "articles.md").read_text(encoding="utf-8").split())
    untied, seen = [], 0
    # a sentence ends at a full stop before a space (decimals like 0.01 stay whole)
    for sentence in re.split(r"\.\)? ", doc):
        for m in re.finditer(r"(?<![\d,.])(\d[\d,]*) s\b", sentence):  # (1,200 s too)
            seen += 1
            n = int(m.group(1).replace(",", ""))
            if "no record" in sentence or (n in recorded and "record" in sentence):
                continue
            if n in budgets and f"{n} s each" in sentence:  # a recipe's setting, not a timing
                continue
            untied.append(sentence[max(0, m.start() - 60):m.end() + 20])
    assert seen >= 10, "docs/articles.md: its run times moved"
    assert not untied, untied
