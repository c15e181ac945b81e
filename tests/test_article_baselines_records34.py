"""Figures of docs/articles.md that no test tied to their run records (the docs audit of
session 34, by changing each figure of the page and seeing which test noticed): E2's
corrected recipe's baselines, E1's corrected run's seconds and E5's seasonal naive in the
line that introduces its corrected recipe. Each is read from the page and compared with
benchmarks/results/articles, rounded as printed."""

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORDS = ROOT / "benchmarks" / "results" / "articles"

pytestmark = pytest.mark.skipif(not RECORDS.is_dir(),
                                reason="benchmarks/results is not here (an unpacked sdist)")


def _record(name: str) -> dict:
    return json.loads((RECORDS / name / "results.json").read_text(encoding="utf-8"))


def _doc() -> str:
    return " ".join((ROOT / "docs" / "articles.md").read_text(encoding="utf-8").split())


def test_e2_corrected_recipes_baselines_are_its_records():
    base = {k: v["metrics"]["one_step"]["rmse"] for k, v in _record("e2")["baselines"].items()}
    said = re.search(r"beside naive ([\d.]+), linear AR ([\d.]+) and seasonal naive ([\d.]+) "
                     r"\(the best of the recipe's baselines\)", _doc())
    assert said, "docs/articles.md: the E2 corrected sentence moved"
    want = [f"{base[k]:.1f}" for k in ("naive", "linear_ar", "seasonal_naive")]
    assert list(said.groups()) == want, (
        f"docs/articles.md, E2 corrected recipe's baselines (naive, linear AR, seasonal naive) "
        f"read {list(said.groups())}, {RECORDS.name}/e2/results.json gives {want}")
    assert min(base, key=base.get) == "seasonal_naive", (  # "the best of the baselines"
        f"docs/articles.md calls seasonal naive E2's best baseline; e2/results.json: {base}")


def test_e1_corrected_runs_seconds_are_its_records():
    said = re.search(r"\*\*Corrected: `e1-dji-compare`\*\*.*?; (\d+) s in the record's run\)",
                     _doc())
    assert said, "docs/articles.md: the E1 corrected sentence moved"
    want = f"{_record('e1')['seconds']:.0f}"
    assert said.group(1) == want, (
        f"docs/articles.md, E1 corrected run's seconds read {said.group(1)}, "
        f"{RECORDS.name}/e1/results.json gives {want}")


def test_e5_corrected_recipes_heading_gives_its_records_seasonal_naive():
    base = {k: v["metrics"]["forecast"]["rmse"] for k, v in _record("e5")["baselines"].items()}
    said = re.search(r"\*\*Corrected: `e5-airline-gru`\*\* \(3 seeds, RMSE on the 12 held-out "
                     r"months beside seasonal naive, RMSE ([\d.]+)\)", _doc())
    assert said, "docs/articles.md: the E5 corrected heading moved"
    want = f"{base['seasonal_naive']:.1f}"
    assert said.group(1) == want, (
        f"docs/articles.md, E5 corrected heading's seasonal naive RMSE reads {said.group(1)}, "
        f"{RECORDS.name}/e5/results.json gives {want}")


def test_a_changed_figure_fails_naming_the_figure_and_its_record(monkeypatch, tmp_path):
    # (the review of session 34: the failures gave the two lists and no names)
    text = (ROOT / "docs" / "articles.md").read_text(encoding="utf-8")
    said = re.search(r"seasonal naive, RMSE ([\d.]+)\)", text)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "articles.md").write_text(
        text[:said.start(1)] + "999.9" + text[said.end(1):], encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match=r"docs/articles.md, E5 .*999\.9.*e5/results\.json"):
        test_e5_corrected_recipes_heading_gives_its_records_seasonal_naive()
