"""The line `rnnlab forecast --quantiles 0.025 0.1 0.9 0.975` prints under its table said
"intervals at levels 0.025, 0.1, 0.9, 0.975": NeuralForecast's and statsforecast's
``level=[80, 95]`` are the intervals' percentages, so "levels 0.1, 0.9" read as a 10% and a
90% interval. It names them quantiles now, and it is broken at its clauses into lines of
at most 80 columns, as the choice and the period lines above it are (it ran to 190)."""

from rnnlab.forecast.run_intervals import describe_intervals

INTERVALS = {"levels": [0.025, 0.1, 0.9, 0.975], "test_points": 24,
             "test": {"coverage80": 1.0, "width80": 4193.2, "coverage95": 23 / 24,
                      "width95": 6413.0, "pinball": 80.1}}


def test_the_interval_line_names_quantiles_not_levels():
    text = describe_intervals(INTERVALS)
    assert "quantiles 0.025, 0.1, 0.9, 0.975" in text and "levels 0.1" not in text
    joined = text  # (each interval a line of its own, kept whole)
    assert "80% interval covers 24 of 24 test points (mean width 4193)" in joined
    assert "95% interval covers 23 of 24 test points (mean width 6413)" in joined


def test_the_interval_line_fits_80_columns():
    lines = describe_intervals(INTERVALS).splitlines()
    assert len(lines) > 1 and max(len(line) for line in lines) <= 80
    assert all(line.startswith("  ") for line in lines[1:])  # read as one statement
