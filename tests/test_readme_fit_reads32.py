"""README's "What `fit` reads" subsection was one paragraph of 70 lines: it is a short
intro and a bulleted list now, one item per input form (a date column, an index, no dates,
dates off the grid, a shop's week, odd values, ...), with the same facts."""

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### What `fit` reads: dates, calendars and odd values")
    return text[start:text.index("\n## ", start)]


def test_a_short_intro_then_one_item_per_input_form():
    blocks = [b for b in _section().split("\n\n")[1:] if b.strip()]
    intro, items = blocks[0], blocks[1:]
    assert len(intro.splitlines()) <= 4 and not intro.startswith("- ")
    assert len(items) == 1  # (one list: its items follow each other, no blank lines)
    bullets = [line for line in items[0].splitlines() if line.startswith("- **")]
    assert len(bullets) >= 12
    assert all(line.startswith(("- **", "  ")) for line in items[0].splitlines())
    longest = max(len(b.splitlines()) for b in ("\n" + items[0]).split("\n- ")[1:])
    assert longest <= 20, longest  # (the paragraph was 68 lines)


def test_the_facts_stay():
    said = " ".join(_section().split())
    for fact in ("31/12/2020, 1998Q1, Q1 1998, 2019M01", "fiscal years written 2005-06",
                 "hour-ending times 01/01/2021 24:00", "read in UTC",
                 "ISO weeks read as their Mondays ('W-MON')", "also as floats 1950.0",
                 "such as 9021-12-01 typed for 2021-12-01", "`off_grid=\"snap\"`",
                 "`CustomBusinessDay(weekmask=\"Mon Tue Wed Thu Fri Sat\")`",
                 "`holidays=NYSE`", "`HolidaysReleaseWarning`",
                 "a gap in the training part is filled from the training part alone",
                 "refused with a pointer to `rnnlab.panel.GlobalForecaster`",
                 "`OutlierWarning`", "`Decimal('sNaN')` is a missing value"):
        assert fact in said, fact
