"""``rnnlab score FORECAST.csv --actuals NEW.csv``: an archived forecast scored against the
actuals that arrived since (:func:`rnnlab.forecast.scoring.score_forecast`).

    rnnlab forecast --run runs/demand --data 2022-01.csv --output archive/2022-01.csv
    ...                                  # months later
    rnnlab score archive/2022-01.csv --actuals 2022-07.csv

The table goes to stdout (``--json``: one object, for scripts), the notes (forecasts still
without an actual, series missing from the actuals) to stderr; ``--output F.csv`` writes
every forecast row beside its actual and error."""

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
                    "RMSSE (scaled by the actuals before the forecast's first date) and, "
                    "with quantile columns, pinball loss, CRPS and interval coverage. "
                    "Forecast dates without an actual yet are left out and counted. A file "
                    "of several models' forecasts (a model column) is scored one model at "
                    "a time: --model NAME.")
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
                        "several (a panel run's test_forecasts.csv, a backtest's "
                        "forecasts.csv); needed there; or this model's columns of "
                        "NeuralForecast's or statsforecast's frame (LSTM, LSTM-lo-80, ...)")
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
    for note in score.notes:
        print(f"rnnlab score: note: {note}", file=sys.stderr)
    if path is not None:
        atomic_write_text(path, score.rows.to_csv(index=False, lineterminator="\n"))
        print(f"wrote {len(score.rows)} rows to {path}", file=sys.stderr)
    out = data_stdout()
    if args.output == "-":  # (the rows are the data: the table goes to stderr, to read)
        out.write(score.rows.to_csv(index=False, lineterminator="\n"))
        out = sys.stderr
    if args.json:
        row = {k: _number(str(k), v) for k, v in score.summary.iloc[0].items() if k != "model"}
        each = [{k: (str(v) if k == "unique_id" else _key(v) if k in score.keys
                     else _number(str(k), v))
                 for k, v in r.items() if k != "model"}
                for r in score.per_series.to_dict("records")]
        out.write(json.dumps({"summary": row, "per_series": each, "pending": score.pending,
                              "notes": score.notes}, indent=2) + "\n")
        return 0
    shown = (lambda t: t.to_string(index=False, float_format=lambda v: f"{v:.4g}") + "\n")
    out.write(shown(score.table()))
    if args.per_series:
        cols = ["unique_id", *score.keys, "n"] + [c for c in score.table().columns
                                      if c in score.per_series and c != "n_forecasts"]
        out.write("\n" + shown(score.per_series[cols]))
    return 0


def _key(v):
    """An id or a key's value (State, a store number) as JSON: an int stays one."""
    return int(v) if isinstance(v, numbers.Integral) and not isinstance(v, bool) else str(v)


def _number(key: str, v):
    """A JSON value: NaN as null (json.dumps writes NaN, which JSON does not have); the
    counts (``n``, ``n_...``) as whole numbers."""
    v = float(v)
    return None if v != v else int(v) if key == "n" or key.startswith("n_") else v
