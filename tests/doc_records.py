"""Reading the docs' figures and the benchmark records they copy, for the tests that hold
one to the other (test_docs_record_tables34, test_docs_record_figures34): a page's table
or paragraph, a record's row, and the check that a figure is its record's value rounded
as the page prints it, whose failure names the figure and the record."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def record(name: str) -> dict:
    return json.loads((RESULTS / name).read_text(encoding="utf-8"))


def model(name: str, model: str) -> dict:
    [row] = [r for r in record(name)["models"] if r["model"] == model]
    return row


def flat(doc: str) -> str:
    return " ".join((ROOT / doc).read_text(encoding="utf-8").split())


def printed(value: float, like: str) -> str:
    """``value`` rounded to the decimals of the page's ``like``."""
    decimals = len(like.split(".")[1]) if "." in like else 0
    return f"{value:.{decimals}f}"


def table(doc: str, header: str) -> dict:
    """The markdown table under ``header`` (its first line, exact) in ``doc``: first cell ->
    the row's other cells."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert header in text, f"{doc}: no table headed {header!r} (its header changed?)"
    lines = text[text.index(header):].splitlines()
    rows = {}
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows[cells[0]] = cells[1:]
    return rows


def paragraph(doc: str, start: str) -> str:
    """The paragraph of ``doc`` that holds ``start``, from ``start`` on, whitespace
    collapsed: the next paragraph may be reworded without breaking a test."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert start in text, f"{doc}: the paragraph starting {start!r} moved or was reworded"
    tail = text[text.index(start):]
    return " ".join(re.split(r"\n\s*\n", tail, maxsplit=1)[0].split())


def pinned(cells: list, expected: list, where: str) -> None:
    """Each cell's leading number is the expected value rounded as the cell prints it;
    ``where`` names the page's figure and the record it is held to, for the message."""
    wrong = []
    for i, (cell, value) in enumerate(zip(cells, expected)):
        if value is None:
            continue
        number = re.match(r"-?[\d.]*\d", cell)
        if number is None or printed(value, number.group(0)) != number.group(0):
            wrong.append(f"figure {i + 1} reads {cell!r}, the record gives {value!r}"
                         f"{'' if number is None else ' = ' + printed(value, number.group(0))}")
    assert not wrong, f"{where}: " + "; ".join(wrong)
