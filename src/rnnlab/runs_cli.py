"""``rnnlab runs DIR ...``: the run directories of a sweep as one CSV table, one row per run:
its folder, command, seed, when it started, the options that differ between the runs, then
its metrics. The rows are in the order the runs started, the newest last (as ``ls -tr``);
runs recorded before rnnlab kept the time (no ``started`` in config.json) come first, by
folder, with a blank.

    for h in 4 8 16; do rnnlab forecast --hidden-size $h --out sweep/h$h; done
    rnnlab runs sweep > sweep.csv      # pandas.read_csv("sweep.csv")

Each command's results become columns of the same names whichever run wrote them:
``forecast`` and ``lm train``: the numbers of ``metrics.json`` (``forecast.model.rmse``,
``val_bpc``); ``backtest`` and a panel's ``forecast``: ``MODEL.METRIC`` of ``summary.json``
and ``metrics.json``; ``compare``:
``MODEL.METRIC`` (the mean over seeds) of ``results.json``. A run without results (stopped,
diverged, still running) has a row with ``finished`` false and no metrics.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Dict, List, Optional, Set

from .io.utf8_text import data_stdout
from .runs_unfinished import command_words, is_unfinished_run, unfinished_row

RESULT_FILES = ("metrics.json", "summary.json", "results.json")
_SAID = ("option.out", "option.seed", "option.command")  # (the path and fixed columns)


def register(sub) -> None:
    p = sub.add_parser("runs", help="one row per run directory: options and metrics, as CSV",
                       description="Print the run directories under each PATH (searched "
                                   "through its subfolders) as CSV on stdout, one row per "
                                   "run: run, command, seed, started (UTC), finished, the "
                                   "options that differ between the runs, then the "
                                   "metrics; in the order the runs started, the newest "
                                   "last.")
    p.add_argument("paths", nargs="*", default=["runs"], metavar="PATH",
                   help="a run directory, or a folder holding run directories (default "
                        "runs, where the commands write by default)")
    kept = p.add_mutually_exclusive_group()
    kept.add_argument("--inputs", action="store_true",
                      help="instead: the standard input kept for runs ($RNNLAB_CACHE/inputs), "
                           "one row each, with the runs under the PATHs that record it")
    kept.add_argument("--prune-inputs", action="store_true",
                      help="--inputs, and delete the kept inputs no run under the PATHs "
                           "records (give every folder holding runs: a run elsewhere that "
                           "reads one could no longer --resume)")
    p.add_argument("--columns", default=None, metavar="PATTERNS",
                   help="only these columns, beside run: comma-separated names or shell "
                        "patterns (--columns 'command,hidden_size,*.rmse'), in the table's "
                        "order (default: all)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .io.errors import DataError, OptionError

    for path in map(Path, args.paths):
        if not path.is_dir():
            raise DataError(f"{path}: no such folder; give run directories (the --out of "
                            f"forecast, lm train, backtest, compare) or folders holding them")
    import sys

    if args.inputs or args.prune_inputs:
        if getattr(args, "columns", None) is not None:  # (it was left unread)
            raise OptionError(f"--columns chooses the runs table's columns, and "
                              f"--{'inputs' if args.inputs else 'prune-inputs'} prints the "
                              f"kept inputs' table instead; drop one of them")

        from .io.kept_inputs_table import inputs_table

        return inputs_table([Path(p) for p in args.paths], args.prune_inputs, data_stdout(),
                            lambda s: print(f"rnnlab runs: note: {s}", file=sys.stderr))
    runs: List[Path] = []
    for path in map(Path, args.paths):
        found = _run_dirs(path)
        if not found:
            raise DataError(f"{path}: holds no run directory (a folder with a config.json "
                            f"written by rnnlab, or a run's start mark)")
        runs += [r for r in found if r not in runs]
    rows, refused = [], []
    for r in runs:  # (a run whose record cannot be read: named, the others still listed;
        try:  # one bad folder in a sweep of a hundred left no table at all)
            rows.append(unfinished_row(r) if is_unfinished_run(r) else read_run(r))
        except DataError as e:
            refused.append(e)
    if refused and not rows:
        raise refused[0]
    rows.sort(key=started_order)  # (newest last; unknown first, by folder as before)
    write_table(rows, data_stdout(), getattr(args, "columns", None))  # (UTF-8 when
    # redirected: `> runs.csv` in any locale)
    for err in refused:  # (exit status 1, as `ls` and `grep -r` give with a file unread)
        print(f"rnnlab runs: error: {err} (its run is left out of the table)", file=sys.stderr)
    return 1 if refused else 0


def _run_dirs(path: Path) -> List[Path]:
    """The run directories in ``path`` and its subfolders, sorted: each folder with a
    ``config.json``, or with the start mark of a run that writes it after training (a panel
    forecast stopped or still running: :mod:`.runs_unfinished`); none under a hidden
    folder (``.X.previous``, a run set aside). A config.json that is no regular file (a
    folder, a pipe, a link that loops) makes a run too, whose row refuses it by name: it
    was passed over, the run missing from the table ("holds no run directory" alone)."""
    from .io.rundir import PENDING_NAME

    found: Set[Path] = set()
    for folder, subfolders, files in os.walk(path):  # (links to folders: not followed)
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        names = set(files) | set(subfolders)
        if "config.json" in names or PENDING_NAME in files:
            found.add(Path(folder))
    return sorted(r for r in found
                  if os.path.lexists(r / "config.json") or is_unfinished_run(r))


def started_order(row: Dict[str, object]):
    """A row's place in the table: its start time (ISO 8601 UTC: sorts as text), a run
    without one (recorded before rnnlab kept it) first; then its folder."""
    started = row.get("started")
    return (started if isinstance(started, str) else "", str(row.get("run")))


def read_run(folder: Path) -> Dict[str, object]:
    """One run's row: ``run``, ``command``, ``seed``, ``started``, ``finished``, then its
    options (``option.NAME``) and metrics (dotted names)."""
    from .io.errors import DataError
    from .io.incomplete_run import is_incomplete
    from .io.json_file import read_json

    config = read_json(folder / "config.json", error=DataError)
    command = config.get("command") or []
    if not isinstance(command, list):  # (rnnlab records argv: a list of words)
        raise DataError(f"{folder / 'config.json'}: 'command' should be the command line as "
                        f"a list of words, found {type(command).__name__}; not a config.json "
                        f"rnnlab wrote: restore it or move the folder out of the table's")
    row: Dict[str, object] = {"run": str(folder), "command": command_words(command),
                              "seed": config.get("seed"), "finished": False}
    if isinstance(config.get("started"), str):  # (none in a record before rnnlab kept it)
        row["started"] = config["started"]
    options = config.get("config")
    if isinstance(options, dict):  # (nested settings, lm train's model and train: dotted)
        options = options.get("options", options)  # (a panel run's: under "options")
        if not isinstance(options, dict):
            raise DataError(f"{folder / 'config.json'}: 'config.options' should be an object "
                            f"of the options, found {type(options).__name__}; not a "
                            f"config.json rnnlab wrote: restore it or move the folder out "
                            f"of the table's")
        row.update(_flat(options, "option.", numbers_only=False))
    if (folder / "cli.json").is_file():  # (--config FILE: the file its options came from;
        try:  # a damaged cli.json is --resume's to refuse, not the table's)
            said = read_json(folder / "cli.json", error=DataError).get("config_file")
        except DataError:
            said = None
        if isinstance(said, list):  # (several --config files, in the order merged)
            said = " + ".join(map(str, said))
        if isinstance(said, str):
            row["option.config"] = said
    for name in RESULT_FILES:  # (one that is no regular file: refused by name, as an
        if os.path.lexists(folder / name):  # empty one is; it was passed over unsaid)
            try:
                row.update(_metrics(name, read_json(folder / name, error=DataError)))
            except (TypeError, AttributeError, KeyError) as e:  # (rows of another shape)
                raise DataError(f"{folder / name}: not the results rnnlab writes (a field of "
                                f"another kind: {type(e).__name__}: {str(e)[:60]}); restore "
                                f"it, or remove it to list the run without metrics") from None
            # (a run going on with --resume is marked unfinished: its results the old ones)
            row["finished"] = not is_incomplete(folder)
            break
    return row


def _metrics(name: str, value: dict) -> Dict[str, object]:  # (numbers, as _flat gives them)
    """The numbers of one results file under the names of its command's kind."""
    if name == "summary.json" or isinstance(value.get("models"), list):
        # backtest's summary.json, and a panel forecast's metrics.json: a list of models
        # (a panel run's metrics.json gave no metric column: read as nested numbers only)
        per_model = {f"{m['model']}.{k}": v for m in value.get("models", [])
                     for k, v in m.items() if _number(v)}
        if name == "summary.json":  # (a one-series Forecaster's fits, how many chose each
            chose = value.get("forecaster_choices") or {}  # method: MODEL.chose.METHOD)
            return {**per_model, **{f"{m}.chose.{c}": n for m, said in chose.items()
                                    for c, n in said.items()}}
        return {**per_model, **_flat({k: v for k, v in value.items() if k != "models"})}
    if name == "results.json":  # compare: one row per model, the mean over its seeds
        return {f"{r['name']}.{k}": s["mean"] for r in value.get("rows", [])
                for k, s in r.get("metrics", {}).items() if _number(s.get("mean"))}
    return _flat(value)


def _flat(value: dict, prefix: str = "", numbers_only: bool = True) -> Dict[str, object]:
    out: Dict[str, object] = {}
    for k, v in value.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}.", numbers_only))
        elif _number(v) or not numbers_only:
            out[f"{prefix}{k}"] = v
    return out


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def write_table(rows: List[Dict[str, object]], stream, patterns: Optional[str] = None) -> None:
    """``rows`` as CSV: the fixed columns, the options whose values differ between the rows
    (every option for one row), then the metrics, each in the order first met; with
    ``patterns`` (``--columns``), ``run`` and the columns they match alone, among every
    option (one the same in each row too: ``--columns hidden_size,lr`` of a sweep of
    hidden_size was refused, "'lr' matches no column", where each run records its lr)."""
    columns: List[str] = []
    for r in rows:
        columns += [k for k in r if k not in columns]
    fixed = ["run", "command", "seed", "started", "finished"]
    options = [c for c in columns if c.startswith("option.") and c not in _SAID
               and (patterns is not None or len(rows) == 1
                    or len({_cell(r.get(c)) for r in rows}) > 1)]
    metrics = [c for c in columns if c not in fixed and not c.startswith("option.")]
    keys = fixed + options + metrics
    names = [c.removeprefix("option.") for c in keys]
    if patterns is not None:
        keep = _chosen(names, patterns)
        keys, names = [keys[i] for i in keep], [names[i] for i in keep]
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(names)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in keys])


def _chosen(names: List[str], patterns: str) -> List[int]:
    """The positions of ``run`` and of the ``names`` matched by the comma-separated
    ``patterns`` (shell patterns, :mod:`fnmatch`, case-sensitive); a pattern that matches
    none is refused, naming the columns close to it."""
    import difflib
    from fnmatch import fnmatchcase

    from .io.errors import OptionError

    wanted = _patterns(names, patterns)
    if not wanted:  # (the run column alone, with no word)
        raise OptionError(f"--columns {patterns!r}: names no column; give names or shell "
                          f"patterns, comma-separated (--columns 'hidden_size,*.rmse'), or "
                          f"drop --columns for every column")
    for w in wanted:
        if not any(fnmatchcase(n, w) for n in names):
            close = difflib.get_close_matches(w, names, n=3)
            raise OptionError(f"--columns: {w!r} matches no column of the table; "
                              + (f"did you mean {', '.join(map(repr, close))}? " if close else
                                 "")
                              + "the columns are printed without --columns (a metric of a "
                                "forecast run: forecast.model.rmse; of a backtest: "
                                "MODEL.rmse; patterns: '*.rmse')")
    return [i for i, n in enumerate(names) if n == "run" or any(fnmatchcase(n, w)
                                                                for w in wanted)]


def _patterns(names: List[str], patterns: str) -> List[str]:
    """``patterns`` split at its commas, except where a piece matches no column and it
    joined with the pieces after it does: a compared model's name holds commas of its
    own (``dot-rnn:depth=3,out_width=16.forecast.model.rmse``)."""
    from fnmatch import fnmatchcase

    def hits(w: str) -> bool:
        return any(fnmatchcase(n, w) for n in names)

    pieces, wanted = patterns.split(","), []
    while pieces:
        w = pieces.pop(0)
        joined = [",".join([w, *pieces[:k]]) for k in range(1, len(pieces) + 1)]
        longer = [j for j in joined if hits(j.strip())] if not hits(w.strip()) else []
        if longer:  # (the shortest that matches: the rest are patterns of their own)
            w, pieces = longer[0], pieces[longer[0].count(",") - w.count(","):]
        if w.strip():
            wanted.append(w.strip())
    return wanted


def _cell(v) -> str:
    if v is None:
        return ""
    return json.dumps(v) if isinstance(v, (list, dict)) else str(v)
