"""The checks of ``rnnlab compare``'s flags against the comparison they go to: a flag
that no part of the run reads, or that would go where it cannot apply, is refused before
anything trains (it was recorded in config.json and changed nothing, or failed late)."""

from __future__ import annotations

from ..io.errors import OptionError  # (usage errors: exit status 2)

# fields whose flag would clash with the shared device flags (--strategy is DDP's there)
RENAMED = {"strategy": "forecast_strategy"}


def flag_of(name: str) -> str:
    """The command-line flag of a CompareConfig field: ``strategy`` -> --forecast-strategy."""
    return "--" + RENAMED.get(name, name).replace("_", "-")


def check_whole_recipe(name: str, parts: dict, given: dict) -> None:
    """``--data`` or ``--task`` given to a recipe whose parts differ in task: each would go
    to every part (deep-rnn-compare's airline part trained on --data airline, then its
    time-machine part stopped, saying to drop a --task lm that was never typed)."""
    typed = [k for k in ("data", "task") if k in given]
    tasks = {p: c.task for p, c in parts.items()}
    if typed and len(set(tasks.values())) > 1:
        flags = " and ".join(flag_of(k) for k in typed)
        raise OptionError(
            f"{flags} would go to every part of recipe {name!r}, and its parts are of "
            f"different tasks ({', '.join(f'{p}: --task {t}' for p, t in tasks.items())}); "
            f"run one part with them (--part {' or --part '.join(tasks)}), or drop {flags}")


# the fields one task reads and the other does not (the rest both read)
TASK_ONLY = {"forecast": ("column", "date_column", "lookback", "horizon", "strategy",
                          "transform", "difference", "period", "scaler", "fill", "off_grid", "weekmask", "test_size", "val_size",
                          "evaluation", "metric"),
             "lm": ("seq_len", "embedding", "test_fraction", "val_fraction", "max_chars")}


def check_task_flags(given: dict, parts: dict) -> None:
    """A flag given for a task that no part of the run has (``--lookback`` for ``--task
    lm``, ``--seq-len`` for a forecast) is refused: it was recorded in config.json and
    changed nothing."""
    tasks = {c.task for c in parts.values()}
    for task, names in TASK_ONLY.items():
        stray = [n for n in names if n in given] if task not in tasks else []
        if stray:
            flags = " ".join(flag_of(n) for n in stray)
            raise OptionError(f"{flags}: read by --task {task} only, and this comparison is "
                              f"--task {' and '.join(sorted(tasks))}; drop {flags}"
                              + (" or add --task lm" if task == "lm" else ""))


def check_matching_flags(given: dict, parts: dict) -> None:
    """Flags that parameter matching alone reads are refused where it would not read them:
    without --match-params, and --match-to or --hidden-size beside --param-target (the
    target replaces the reference's count; each hidden size is chosen to meet it)."""
    def flags(names):
        return " and ".join(flag_of(k) for k in names)

    unused = [k for k in ("match_to", "tolerance") if k in given]
    if unused and not all(c.match_params for c in parts.values()):  # (they were ignored)
        raise OptionError(f"{flags(unused)} appl{'y' if len(unused) > 1 else 'ies'} to "
                          f"parameter matching, which is off; add --match-params, or drop "
                          f"{flags(unused)}")
    unused = [k for k in ("match_to", "hidden_size") if k in given]
    targets = {c.param_target for c in parts.values() if c.match_params} - {None}
    if unused and targets:  # (the report named the target as its "reference")
        raise OptionError(f"{flags(unused)}: --param-target {min(targets)} is the parameter "
                          f"count every model is matched to, and each hidden size is chosen "
                          f"to meet it, so {flags(unused)} would change nothing; drop "
                          f"{flags(unused)}, or drop --param-target to match to "
                          f"{'--match-to' if 'match_to' in unused else 'the reference'}'s "
                          f"count at --hidden-size")


def read_by(task: str, given: dict) -> dict:
    """The flags a part of ``task`` reads: in deep-rnn-compare ``--lookback 5`` went into
    the time-machine part's config too, and its report said that part's lookback changed."""
    other = [n for t, names in TASK_ONLY.items() if t != task for n in names]
    return {k: v for k, v in given.items() if k not in other}


def drop_recorded_task_flags(args, given: dict, tasks) -> None:
    """A run record's flags (``--config RUN_DIR``) of a task this comparison has no part
    of (a record of ``--task lm`` run as ``--task forecast``: its ``--seq-len``) are
    dropped from ``given`` and ``args`` with a note; typed ones stay, for
    :func:`check_task_flags` to refuse."""
    from ..config_given import drop_recorded

    for task, names in TASK_ONLY.items():
        stray = {RENAMED.get(n, n): n for n in names if n in given and task not in tasks}
        kept = drop_recorded(args, list(stray), f"--task {' and '.join(sorted(tasks))}")
        for dest in set(stray) - set(kept):
            given.pop(stray[dest])
