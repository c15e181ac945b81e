"""Figures README.md gives with no run record beside them say how they were measured, or
that nothing was kept (the docs audit of session 34): `anchor="none"` without a difference
(MASE 1.497 against 0.699; 1.414 against 1.357) named no command, and best.safetensors'
write times read as if a benchmark kept them."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _flat() -> str:
    return " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())


def test_the_anchor_without_a_difference_figures_name_their_commands():
    import ast

    from rnnlab.cli import build_parser

    said = re.search(r"with `--difference none` and the benchmark's settings otherwise \(its "
                     r"`rnnlab backtest` commands with `--difference none` added; [^)]*no record "
                     r"kept[^)]*\), MASE [\d.]+ against [\d.]+ anchored", _flat())
    assert said, "README.md: the anchor sentence does not say how its figures were measured"
    assert "(`benchmarks/panel_anchor.py`)" in _flat()  # "the benchmark"
    # the benchmark's command, as its backtest() builds it, takes --difference none
    tree = ast.parse((ROOT / "benchmarks" / "panel_anchor.py").read_text(encoding="utf-8"))
    [cmd] = [n.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
             and getattr(n.targets[0], "id", None) == "cmd"]
    argv = [e.value if isinstance(e, ast.Constant) else "8" for e in cmd.elts[3:]]
    argv[argv.index("--data") + 1] = "visnights"
    argv[argv.index("--anchor") + 1] = "none"
    argv[argv.index("--baselines") + 1] = "none"
    argv[argv.index("--out") + 1] = "DIR"
    a = build_parser().parse_args(argv + ["--difference", "none"])
    assert (a.anchor, a.difference, a.epochs, a.seed) == ("none", "none", 15, 0)


def test_best_safetensors_write_times_say_no_record_was_kept():
    said = re.search(r"\(measured once on [\w ]+, no command or record kept: 12 ms for a "
                     r"9,340-parameter model", _flat())
    assert said, "README.md: the best.safetensors cost sentence moved"


def _units(text: str) -> list:
    """``text``'s paragraphs, list items and table rows: the unit a figure's source note
    must sit in (the rest of the page may be reworded freely)."""
    return [u for u in re.split(r"\n\s*\n|\n\s*[*-] |\n(?=\|)", text) if u.strip()]


# panels.md figures with their settings but no run record (the review of session 34):
# each one's paragraph, list item or table row says no record was kept
PANELS_UNRECORDED = ["covered 0.92 of steps 5-8, now 0.82", "0.851 and 0.787",
                     "30% above the closed form", "38% below the closed form",
                     "17.52 against 14.13", "12.1 against 9.5 ms", "0.79 (recursive)",
                     "RMSE 23.9", "from 0.594 (10th percentile)", "0.786 (step 10)",
                     "gave 0.817 overall"]


@pytest.mark.parametrize("figure", PANELS_UNRECORDED)
def test_panels_figures_without_a_record_say_so(figure):
    text = (ROOT / "docs" / "panels.md").read_text(encoding="utf-8")
    flat = [" ".join(u.split()) for u in _units(text)]
    [unit] = [u for u in flat if figure in u] or [None]
    assert unit, f"docs/panels.md: the figure {figure!r} is not on the page (moved or changed?)"
    assert re.search(r"no (?:script or )?record (?:was )?kept", unit), (
        f"docs/panels.md: the figure {figure!r} has no record under benchmarks/results and its "
        f"paragraph does not say so: {unit[:200]}...")
