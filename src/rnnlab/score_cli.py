"""``rnnlab score FORECAST.csv --actuals NEW.csv``: an archived forecast scored against the
actuals that arrived since (:func:`rnnlab.forecast.scoring.score_forecast`).

    rnnlab forecast --run runs/demand --data 2022-01.csv --output archive/2022-01.csv
    ...                                  # months later
    rnnlab score archive/2022-01.csv --actuals 2022-07.csv

The table goes to stdout (``--json``: one object, for scripts), the notes (forecasts still
without an actual, series missing from the actuals) to stderr; ``--output F.csv`` writes
every forecast row beside its actual and error.

A forecast of several cutoffs (NeuralForecast's ``cross_validation``, ``rnnlab
backtest``'s forecasts.csv) is scored per model over all its cutoffs, each forecast scaled
by the actuals up to its own cutoff; ``--by cutoff`` adds a row per model and cutoff
(:mod:`rnnlab.forecast.score_cutoff_metrics`)."""

from __future__ import annotations

import json
import numbers
import sys
from pathlib import Path


def register(sub) -> None:
    from .season_length import period_arg

    p = sub.add_parser(
        "score", help="score an archived forecast against the actuals that arrived since",
        description="Join FORECAST (the CSV of `rnnlab forecast --run DIR --output F`, a "
                    "run's forecast.csv, a panel's forecasts.csv, or NeuralForecast's or "
                    "statsforecast's frame of a column per model) to the actuals by series "
                    "and date and print MAE, RMSE, bias (forecast - actual), sMAPE, MASE and "
                    "RMSSE (scaled by the actuals before the forecast's first date, or up to "
                    "its cutoff) and, with quantile columns, pinball loss, CRPS, interval "
                    "coverage, the weighted quantile loss (wql) and an MSIS (msis95, else "
                    "the widest interval's; a note under the table says what they are). "
                    "Forecast dates without an actual yet are left out and "
                    "counted. A file of several models' forecasts (a model column) and no "
                    "cutoff is scored one model at a time: --model NAME. A file of several "
                    "cutoffs, or of one and several models (a cutoff or origin column: "
                    "NeuralForecast's cross_validation, rnnlab backtest's forecasts.csv, a "
                    "run's test_forecasts.csv) is scored for every model and cutoff, each "
                    "forecast scaled by the actuals up to its cutoff: one row per model "
                    "over all cutoffs (as rnnlab backtest's summary); --by cutoff adds each "
                    "cutoff's.")
    p.add_argument("forecast", metavar="FORECAST.csv",
                   help="the archived forecast (- reads standard input)")
    p.add_argument("--actuals", required=True, metavar="FILE.csv",
                   help="the series with the values that arrived (its history too: MASE's "
                        "scale; .gz, .bz2, .xz, .zip too; - reads standard input)")
    p.add_argument("--column", default=None,
                   help="the actuals' value column (default: detected, as rnnlab forecast)")
    p.add_argument("--date-column", default=None, help="the actuals' date column "
                                                       "(default: detected)")
    p.add_argument("--id-column", default=None,
                   help="a panel's series column in the actuals (default: unique_id, or the "
                        "key columns a keyed forecast carries: State,Zone)")
    p.add_argument("--period", type=period_arg, default=None,
                   help="seasonal period of MASE's scale (default: from the dates; daily "
                        "ones that skip a weekday or two: their week's open days; 1: none)")
    p.add_argument("--model", default=None, metavar="NAME",
                   help="score this model's rows of a forecast with a model column naming "
                        "several; needed there, unless the file has a cutoff or origin "
                        "column (a backtest's forecasts.csv, a run's test_forecasts.csv, a "
                        "cross_validation frame: all models without it); or this model's "
                        "columns of NeuralForecast's or statsforecast's frame (LSTM, "
                        "LSTM-lo-80, ...)")
    p.add_argument("--by", choices=["cutoff"], default=None,
                   help="cutoff: also a row per model and cutoff, for a forecast with a "
                        "cutoff or origin column (in --json: by_cutoff, always there for a "
                        "file of several cutoffs)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--per-series", action="store_true",
                   help="print one row per series after the summary (in --json: always)")
    p.add_argument("--output", default=None, metavar="FILE.csv",
                   help="write each forecast row with its actual y and error (-: on "
                        "standard output, the table then on stderr)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace an existing --output file (never FORECAST or the actuals)")
    from .data.option_names import OFF_GRID, OFF_GRID_HELP

    p.add_argument("--off-grid", default="refuse", choices=OFF_GRID,
                   help=OFF_GRID_HELP + " (the actuals' dates)")
    from .io.encoded_input import add_encoding_option

    add_encoding_option(p)  # (--encoding cp1252: FORECAST's and --actuals' files)
    p.set_defaults(func=run)


def run(args) -> int:
    from .forecast.scoring import score_forecast
    from .io.atomic import atomic_write_text
    from .io.utf8_text import data_stdout
    from .io.output_file import check_output_file

    # (before the work: `--output` naming the archived forecast would have replaced it)
    # (a run directory given as FORECAST: none of its files, its forecast.csv read here)
    if args.output == "-" and args.json:
        print("rnnlab score: error: --output - writes the rows on standard output, where "
              "--json prints its object: give --output a file name, or leave out one of "
              "them", file=sys.stderr)
        return 2
    run_dir = args.forecast if Path(args.forecast).expanduser().is_dir() else None
    path = check_output_file(args.output, args.overwrite, run_dir, [args.forecast, args.actuals])
    score = score_forecast(args.forecast, args.actuals, column=args.column,
                           date_column=args.date_column, id_column=args.id_column,
                           period=args.period, model=args.model, off_grid=args.off_grid)
    # (before any file is written: --by cutoff of a forecast without cutoffs is refused)
    by_cutoff = score.cutoff_table() if args.by == "cutoff" else None
    for note in score.notes:
        print(f"rnnlab score: note: {note}", file=sys.stderr)
    if path is not None:
        atomic_write_text(path, score.rows.to_csv(index=False, lineterminator="\n"))
        print(f"wrote {len(score.rows)} rows to {path}", file=sys.stderr)
    out = data_stdout()
    if args.output == "-":  # (the rows are the data: the table goes to stderr, to read)
        out.write(score.rows.to_csv(index=False, lineterminator="\n"))
        out = sys.stderr
    cutoffs = "n_cutoffs" in score.summary  # (several cutoffs: a row per model)
    if args.json:
        out.write(json.dumps(_json(score, cutoffs, args.by == "cutoff"), indent=2) + "\n")
        return 0
    from .panel.printed_scores import table_and_note

    notes = []

    def shown(table, columns=None):  # (decimal points in line; "-": no quantiles)
        text, note = table_and_note(table, table.columns if columns is None else columns,
                                    held_in="--json")
        notes.append(note)
        return text + "\n"

    # (the whole tables: the note names an msis a "-" leaves unread, which they hold)
    out.write(shown(score.summary, score.table().columns))
    if by_cutoff is not None and score.by_cutoff is not None:
        cut = by_cutoff["cutoff"].map(lambda v: _text(v, score.dates_form))
        out.write("\n" + shown(score.by_cutoff.assign(cutoff=cut), by_cutoff.columns))
    if args.per_series:
        cols = (["model"] if cutoffs else []) + ["unique_id", *score.keys, "n"] + [
            c for c in score.table().columns if c in score.per_series
            and c not in ("n_forecasts", "model", "n_cutoffs")]
        out.write("\n" + shown(score.per_series, cols))
    said = max(notes, key=len)  # (the tables' columns alike: the one that says "-" too)
    if said:
        from .forecast.choice_lines import clause_lines

        out.write(clause_lines(f"note: {said}") + "\n")
    return 0


def _json(score, cutoffs: bool, by_cutoff: bool) -> dict:
    """``--json``'s object: ``summary`` (one object), or with several cutoffs ``models``
    (one per model) and ``by_cutoff`` (one per model and cutoff); ``per_series``,
    ``pending`` and ``notes``."""
    def record(r, drop=()):
        return {k: (str(v) if k in ("model", "unique_id") else _text(v, score.dates_form)
                    if k == "cutoff"
                    else _key(v) if k in score.keys else _number(k, v))
                for k, v in r.items() if k not in drop}

    drop = () if cutoffs else ("model",)
    each = [record(r, drop) for r in score.per_series.to_dict("records")]
    if cutoffs:
        head = {"models": [record(r) for r in score.summary.to_dict("records")]}
    else:
        head = {"summary": record(score.summary.iloc[0].to_dict(), drop)}
    if cutoffs or by_cutoff:
        head["by_cutoff"] = [record(r, drop) for r in score.by_cutoff.to_dict("records")]
    return {**head, "per_series": each, "pending": score.pending, "notes": score.notes}


def _text(v, form=(None, None)):
    """A cutoff as JSON or in a table: as the actuals' dates are written (``form``: their
    ds_period and ds_written, 2013Q4 for quarters, as `rnnlab backtest` names its
    origins) where that names it alone (a quarter's first day; a cutoff inside one is
    its date), else a date in ISO form without its midnight, for a file of one cutoff as
    for one of several; an undated panel's step as a whole number; a label as
    written."""
    import pandas as pd

    if isinstance(v, pd.Timestamp) and v.tz is None and any(form):
        from .panel.origin_align import origin_text

        text = origin_text(v, *form)  # (only where it names v alone: the first instant of
        if text != origin_text(v - pd.Timedelta(1, "ns"), *form):  # its quarter, month, day;
            return text  # 2014-11-15 and 2014-12-01 both read 2014Q4)
    if isinstance(v, pd.Timestamp) and v == v.normalize() and v.tz is None:
        return str(v.date())
    return _key(v)


def _key(v):
    """An id or a key's value (State, a store number) as JSON: an int stays one."""
    return int(v) if isinstance(v, numbers.Integral) and not isinstance(v, bool) else str(v)


def _number(key: str, v):
    """A JSON value: NaN as null (json.dumps writes NaN, which JSON does not have); the
    counts (``n``, ``n_...``) as whole numbers."""
    v = float(v)
    return None if v != v else int(v) if key == "n" or key.startswith("n_") else v
