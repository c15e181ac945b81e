"""The command line's warnings were one line each on stderr (an align warning ran to 272
columns) while its notes on stdout wrap at 80. rnnlab's own warnings now wrap as the notes
do (:func:`rnnlab.warning_lines.warning_text`), never inside a command in backticks or a
quoted path; other packages' warnings, and a Python user's, are as Python prints them."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd

from printed_words import words
from rnnlab.warning_lines import command_warnings, warning_text

ALIGN = ("2 of 3 series end before the panel's last date (a, b); rnnlab forecast holds out "
         "each series' own last 12 values, so the model it scores read other series' values "
         "dated inside their held-out part (a cross-series look-ahead); `rnnlab backtest "
         "--align date` cuts every series at common dates")
OURS = sys.modules["rnnlab.warning_lines"].__file__  # (a file of rnnlab: its warning)


def _fits(text: str) -> bool:
    """Each line is at most 80 columns, but for one word too long (a path), alone or after
    a warning's prefix, which starts its line (session 34)."""
    def one_word(line: str) -> bool:
        rest = line.split(": warning: ", 1)[-1] if line.startswith("rnnlab") else line
        return " " not in rest.strip()

    return all(len(line) <= 80 or one_word(line) for line in text.splitlines())


def test_rnnlabs_warning_wraps_at_80_columns_its_words_and_its_command_whole():
    with command_warnings("backtest"):
        said = warnings.formatwarning(ALIGN, UserWarning, OURS, 56)
    assert said.startswith("rnnlab backtest: warning: 2 of 3 series") and said.endswith("\n")
    assert said.count("\n") > 1 and _fits(said)  # (one line of 272 columns before)
    assert words(said) == f"rnnlab backtest: warning: {ALIGN}"
    assert any("`rnnlab backtest --align date`" in line for line in said.splitlines())
    assert all(line.startswith("  ") for line in said.splitlines()[1:])  # (one warning)


def test_a_quoted_path_and_a_command_stay_on_one_line():
    for n in range(30):  # (wherever the words before put them)
        line = ("rnnlab forecast: warning: " + "a b " * n + "read 'C:\\my data\\sales.csv' "
                "and 'a b/c d' too")
        said = warning_text(line)
        lines = said.splitlines()
        assert any("'C:\\my data\\sales.csv'" in line for line in lines), said
        assert any("'a b/c d'" in line for line in lines), said
        assert _fits(said) and words(said) == line
    from rnnlab.forecast.choice_lines import clause_lines

    for width in range(30, 81):  # (a command in backticks, at each width)
        said = clause_lines("note: " + "a b " * 7 + "use `rnnlab backtest --align date` too",
                            width)
        assert any("`rnnlab backtest --align date`" in line for line in said.splitlines())


def test_each_line_of_a_warning_of_several_lines_is_wrapped_on_its_own():
    said = warning_text("rnnlab lm train: warning: first\nsecond line")
    assert said == "rnnlab lm train: warning: first\nsecond line\n"


def test_other_packages_and_python_users_warnings_are_pythons():
    with command_warnings("forecast"):
        torchs = warnings.formatwarning("x " * 100, UserWarning, "/site-packages/torch/a.py", 3)
    assert torchs.startswith("/site-packages/torch/a.py:3: UserWarning: x x")  # (category)
    assert torchs.count("\n") == 1  # (not wrapped: Python's form)
    python = warnings.formatwarning(ALIGN, UserWarning, OURS, 56)  # (outside the command)
    assert python.startswith(f"{OURS}:56: UserWarning: {ALIGN}")


def test_the_command_prints_its_warning_wrapped(tmp_path, capsys, monkeypatch):
    from rnnlab.cli import main

    # (the warning names its caller's line: here this file, as if it were pip's launcher)
    monkeypatch.setattr(sys.modules["__main__"], "__file__", __file__, raising=False)
    t = np.arange(60.0)
    df = pd.DataFrame({"month": pd.date_range("2010-01-01", periods=60, freq="MS"),
                       "a": 200 + 3 * t, "b": 100 + t})
    df.loc[57:, "b"] = np.nan  # (left out: said in a warning)
    df.to_csv(tmp_path / "w.csv", index=False)
    shown = warnings.showwarning
    with warnings.catch_warnings():  # (pytest records warnings: printed here as Python does)
        warnings.simplefilter("always")
        warnings.showwarning = lambda m, c, f, n, file=None, line=None: sys.stderr.write(
            warnings.formatwarning(m, c, f, n, line))
        try:
            assert main(["backtest", "--data", str(tmp_path / "w.csv"), "--model", "naive",
                         "--baselines", "naive", "--plot-series", "0", "--no-progress",
                         "--out", str(tmp_path / "bt")]) == 0
        finally:
            warnings.showwarning = shown
    err = capsys.readouterr().err
    assert "rnnlab backtest: warning:" in err and "series ends with rows without a value" \
        in words(err), err
    warned = "\n".join(line for line in err.splitlines() if " wrote " not in line)
    assert warned.count("rnnlab backtest: warning:") == 2 and _fits(warned), err


def test_the_readme_says_the_warnings_wrap():
    from pathlib import Path

    readme = words((Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8"))
    assert "rnnlab's own warnings read `rnnlab backtest: warning: ...` and wrap at 80 " \
           "columns" in readme
