"""``rnnlab forecast --val-data FILE``: ``Forecaster.fit(data, val_data=...)`` on the command
line. FILE continues ``--data`` (read with the same ``--column``, ``--date-column`` and
``--fill``); early stopping and the choice between the network and its baselines score it,
the network never trains on it, and the forecast starts after its end. Nothing is held out
after it, so the run has no test part and no held-out metrics (as ``--test-size 0``).

The run trains on the two joined, exactly as ``Forecaster.fit(data, val_data=val)`` does
(:mod:`.val_data`): config.json records ``val_data`` beside ``data`` and the SHA-256 of the
joined values (a resume whose FILE changed is warned of, as one whose data did);
``--val-size`` and ``--test-size`` with it are refused (they would cut the series too)."""

from __future__ import annotations

from ..io.errors import DataError, OptionError
from .val_data import join_validation, split_given

FLAG = "--val-data"


def refuse_split_options(args, cfg) -> None:
    """--val-size / --test-size typed beside --val-data (their config fields set)."""
    given = split_given(cfg, lambda k, v: f"--{k.replace('_', '-')} {v}")
    if given:
        raise OptionError(
            f"{FLAG} {args.val_data} is the validation tail, and {' and '.join(given)} would "
            f"cut the series too: drop {'it' if len(given) == 1 else 'them'} ({FLAG} "
            f"validates; nothing after it is held out), or pass the whole series as --data "
            f"with --val-size N (its validation tail) and --test-size N (its test part)")


def with_val_data(args, series, cfg):
    """(``series`` followed by the values of ``--val-data``, the config that splits them
    there: val_size the file's length, test_size 0); (series, cfg) without the option."""
    path = getattr(args, "val_data", None)
    if path is None:
        return series, cfg
    from ..data.datasets import resolve_data

    refuse_split_options(args, cfg)
    date_col = False if (args.date_column or "").lower() == "none" else args.date_column
    try:
        val = resolve_data(path, column=args.column, date_column=date_col, fill=cfg.fill,
                           weekmask=cfg.weekmask,
                           off_grid=getattr(args, "off_grid", "refuse"))
        return join_validation(series, val, path, cfg)
    except DataError as e:  # (said as the option's, not as Forecaster.fit's)
        said = str(e).replace("Forecaster.fit: val_data: ", "").replace(
            "Forecaster.fit: ", "")
        raise DataError(f"{FLAG} {path}: {said.replace('val_data', FLAG)}") from None
