"""The paired tests' line wrapper kept a number beside its "=" ("p = 0.0156") but could
end a line on "Holm-adjusted" with its number at the start of the next. A label and the
number after it now stay on one line, at every width, and the words are the same."""

import re

import pytest

from rnnlab.panel.backtest_said import wrapped
from rnnlab.stats.outcome import PairedTest


def _line():
    t = PairedTest("Wilcoxon signed-rank", "seasonal_naive", "naive", 8, "series", -3.25,
                   statistic=2.0, p_value=0.0156, p_holm=0.0469)
    return "  " + t.text()


@pytest.mark.parametrize("width", range(30, 121))
def test_a_label_and_its_number_stay_together(width):
    line = _line()
    lines = wrapped(line, width).splitlines()
    number = re.compile(r"^[-+]?(\d|\.\d)")
    for before, after in zip(lines, lines[1:]):
        assert not number.match(after.strip()), (before, after)  # (no number begins a line)
    assert " ".join(" ".join(lines).split()) == " ".join(line.split())


def test_holm_adjusted_keeps_its_number_where_it_broke_before():
    line = _line()
    at = line.index("Holm-adjusted") + len("Holm-adjusted")
    lines = wrapped(line, at + 2).splitlines()  # (its number did not fit on its line)
    assert not any(x.rstrip().endswith("Holm-adjusted") for x in lines)
    assert any("Holm-adjusted 0.0469" in x for x in lines)


@pytest.mark.parametrize("width", range(30, 121))
def test_mean_difference_is_one_label(width):
    """The docstring's "mean difference -3.25" stays whole: the number was kept beside
    "difference", but "mean" ended a line (widths 31-47, 62-70, 120) with "difference
    -3.25" starting the next."""
    lines = wrapped(_line(), width).splitlines()
    assert not any(x.rstrip().endswith(" mean") for x in lines)
    assert any("mean difference -3.25" in x for x in lines)
