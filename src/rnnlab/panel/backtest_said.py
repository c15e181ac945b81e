"""What ``rnnlab backtest`` prints on stdout when it has written its run: the summary
table, the origins, the paired tests and the notes (:func:`print_outcome`)."""

from __future__ import annotations


def print_outcome(summary, result, left_out: dict) -> None:
    """The table of ``summary`` (the chosen columns), ``result``'s origins and paired
    tests, and a note for each baseline ``left_out`` and each caveat of the scores."""
    from .metrics import interval_columns

    cover = interval_columns(summary.columns)
    cols = [c for c in ("model", "mase", "rmse", "smape", "crps", *cover, "n_series",
                        "seconds") if c in summary]
    from ..table_text import table_text

    print(table_text(summary[cols]))  # (decimal points in line)
    print(result.origins_said())
    from .backtest_tests import tests_said

    for line in tests_said(result)[0]:  # (as write_results computed them)
        print(wrapped(line))
    for why in left_out.values():
        print(f"note: left out of the table: {why}")
    from .scaled_note import scaled_note, smape_zero_note

    for said in (scaled_note(summary), smape_zero_note(result.forecasts)):
        if said:
            print(f"note: {said}")
    from .point_note import point_note

    if point_note(result.models):
        print(f"note: {point_note(result.models)}")


WIDTH = 80  # columns, as `rnnlab forecast` breaks its lines (rnnlab.forecast.choice_lines)


def wrapped(line: str, width: int = WIDTH) -> str:
    """``line`` (the paired tests' heading, or a test's line, indented by two spaces)
    wrapped between words at ``width`` columns, its later lines indented two spaces more;
    a number stays beside its "=" ("p = 0.0156") and its label ("Holm-adjusted 0.0469",
    "mean difference -3.25", "over 8"), so that no line ends in a label whose number
    begins the next."""
    import re
    import textwrap

    indent = line[:len(line) - len(line.lstrip())]
    kept = line.strip().replace(" = ", "\x00=\x00")
    kept = re.sub(r" (?=[-+]?\.?\d)", "\x00", kept)  # (the space before each number)
    kept = kept.replace("mean difference", "mean\x00difference")  # (a two-word label)
    lines = textwrap.wrap(kept, width, initial_indent=indent, subsequent_indent=indent + "  ",
                          break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines).replace("\x00", " ")

