"""What ``rnnlab backtest`` prints on stdout when it has written its run: the summary
table, the origins, the paired tests, the notes and the recurrent path
(:func:`print_outcome`), each line at most 80 columns but a table's or a word's."""

from __future__ import annotations


def print_outcome(summary, result, left_out: dict) -> None:
    """The table of ``summary`` (the chosen columns), ``result``'s origins and paired
    tests, a note for each baseline ``left_out`` and each caveat of the scores, and the
    networks' recurrent path."""
    from .printed_scores import score_columns, table_and_note

    cover = score_columns(summary)  # (coverage, width; wql and an msis: GluonTS' first)
    cols = [c for c in ("model", "mase", "rmse", "smape", "crps", *cover, "n_series",
                        "seconds") if c in summary]
    from ..forecast.choice_lines import clause_lines as lines  # (at 80 columns, as forecast's)

    table, scores = table_and_note(summary, cols)
    print(table)  # (decimal points in line; "-": no quantiles)
    print(lines(result.origins_said()))  # (117 columns for 3 monthly origins: wrapped)
    from .backtest_tests import tests_said

    for line in tests_said(result)[0]:  # (as write_results computed them)
        print(wrapped(line))
    from .scaled_note import scaled_note, smape_zero_note
    from .point_note import point_note

    for said in [f"left out of the table: {why}" for why in left_out.values()] + [
            scores, scaled_note(summary), smape_zero_note(result.forecasts),
            point_note(result.models)]:
        if said:
            print(lines(f"note: {said}"))
    if paths_said(result.paths):
        print(lines(paths_said(result.paths)))


def paths_said(paths: dict) -> str:
    """``recurrent path: fused`` (one network), or each network's (``lstm: fused; gru:
    fused``): which implementation trained, as ``rnnlab forecast`` and ``lm train`` say;
    "" for baselines alone."""
    if not paths:
        return ""
    if len(paths) == 1:
        return f"recurrent path: {next(iter(paths.values()))}"
    return "recurrent path: " + "; ".join(f"{m}: {p}" for m, p in paths.items())


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

