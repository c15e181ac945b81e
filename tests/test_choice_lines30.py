"""``rnnlab forecast``'s choice line, about 300 characters on airline, is printed in lines
an 80-column terminal shows whole, saying word for word what it said (session 30)."""

import re

import pytest

from rnnlab.forecast.selection import describe

# airline's (the defaults' run: weighted, every candidate scored), and the other reasons
AIRLINE = {"method": "weighted", "origins": 4, "select": "auto",
           "scores": {"weighted": 0.356, "linear_ar": 0.640, "drift": 0.761, "arma": 0.927,
                      "linear_ar0": 1.008, "seasonal_naive": 1.030, "network": 0.420,
                      "combined": 0.507, "blend": 0.552},
           "weights": {"network": 0.51, "linear_ar": 0.22, "arma": 0.10, "linear_ar0": 0.09,
                       "seasonal_naive": 0.08}}
USELESS = {"method": "linear_ar", "origins": 1, "select": "auto",
           "scores": {"network": 9.0, "weighted": 0.3, "linear_ar": 0.5, "drift": 0.6}}
KEPT = {"method": "weighted", "origins": 4, "select": "auto", "weights": {"network": 1.0},
        "scores": {"weighted": 0.5, "drift": 0.4}}
SET = {"method": "seasonal_naive", "origins": 12, "select": "seasonal_naive",
       "scores": {n: 1.2345678 for n in AIRLINE["scores"]}}


@pytest.mark.parametrize("choice", [AIRLINE, USELESS, KEPT, SET, None,
                                    {"method": "network", "reason": "fitted with val_size=0"}])
def test_the_choice_lines_fit_80_columns_and_say_what_the_line_said(choice):
    from rnnlab.forecast.choice_lines import describe_lines

    text = describe_lines(choice)
    lines = text.splitlines()
    assert " ".join(text.split()) == describe(choice)  # each word and number as it was
    assert all(len(line) <= 80 for line in lines), text
    assert lines[0].startswith("choice: ") and all(line.startswith("  ") for line in lines[1:])
    # a name and its score stay on one line; a clause ends at a line's end
    assert not re.search(r"[a-z_0]\n +\d", text) and "; " not in text, text


def test_airlines_choice_line_was_too_long_and_now_breaks_at_its_clauses():
    from rnnlab.forecast.choice_lines import describe_lines

    assert len(describe(AIRLINE)) > 250  # (what the terminal broke mid-word)
    lines = describe_lines(AIRLINE).splitlines()
    assert lines[1] == "  over 4 rolling origins in the training part:"
    assert sum(line.endswith(";") for line in lines) == describe(AIRLINE).count(";")
    assert any(line.startswith("  weights network 0.51") for line in lines)
    assert any(line.startswith("  scored for the record") for line in lines)


def test_a_word_longer_than_the_width_keeps_its_line_whole():
    from rnnlab.forecast.choice_lines import describe_lines

    long_name = {"method": "network", "reason": "x" * 100}
    text = describe_lines(long_name)
    assert "x" * 100 in text and " ".join(text.split()) == describe(long_name)


def test_the_legend_under_the_table_fits_80_columns_word_for_word():
    # (session 30 review) the legend line under the rows, about 200 characters, was
    # printed whole: an 80-column terminal broke it mid-word as it did the choice line
    from pathlib import Path

    from rnnlab.forecast.report import LEGEND, format_metrics

    assert len(LEGEND) > 80
    row = dict(rmse=1.0, mae=1.0, mape=1.0, smape=1.0, mase=0.5)
    text = format_metrics({"test_size": 12, "forecast": {"model": row, "network": row}},
                          Path("runs/x"))
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("(model: "))
    legend = [lines[start]] + [line for line in lines[start + 1:] if line.startswith("  ")]
    assert " ".join(" ".join(legend).split()) == LEGEND  # each word as it was
    assert len(legend) > 1 and all(len(line) <= 80 for line in legend), legend
    assert legend[-1].endswith("under 1 beats it)") and "; " not in "\n".join(legend)
