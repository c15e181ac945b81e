"""A multi-part recipe (``deep-rnn-compare``: airline and The Time Machine) run into one
directory: each part in its own folder inside it, then one combined report.

``--overwrite`` sets the old run aside as a whole; a run stopped (Ctrl-C, SIGTERM, an
error) before any part wrote results puts it back, as a one-part comparison does (it
stayed hidden in ``.NAME.previous``, with only empty part folders in its place)."""

from __future__ import annotations

from pathlib import Path

from ..io.errors import RunDirError
from ..io.previous_run import restore_previous
from ..io.rundir import (LOCK_NAME, RunLock, finish_run_dir, is_unstarted, prepare_run_dir,
                          previous_of, write_run_info)
from .report import write_report
from ..train.launch_checks import is_main_process
from .runner import run_compare, section
from .summary import terminal_table


def run_parts(parts: dict, out: Path, name: str, title: str, desc: str, command: str,
              overwrite: bool, dev: dict, progress=False) -> None:
    from .forecast_run import check_series

    for cfg in parts.values():  # (a later part's series too short: before any folder)
        check_series(cfg)
    main = is_main_process()
    if main:  # the parts' folders go inside: refused or emptied as one run
        prepare_run_dir(out, overwrite=overwrite, inputs=[c.data for c in parts.values()],
                        resumable=False)
    try:
        sections = []
        for pname, cfg in parts.items():
            res = run_compare(cfg, out / pname, overwrite=overwrite, title=f"{title}: {pname}",
                              description=desc, command=command, device_settings=dev,
                              progress=progress)
            sections.append(section(cfg, res, out / pname, f"{pname}", "", ""))
            if main:
                print(f"{pname}:\n{terminal_table(cfg, res['rows'], res.get('diverged'))}")
        if not main:
            return
        with RunLock(out):
            write_run_info(out, {"recipe": name, "title": title, "device_settings": dev,
                                 "parts": {k: c.to_dict() for k, c in parts.items()}},
                           next(iter(parts.values())).seeds[0], parts_data_sha256(out, parts),
                           seeds=list(dict.fromkeys(s for c in parts.values() for s in c.seeds)))
            intro = desc.replace("\n\n", " ") + f"\n\nCommand: `{command}`"
            write_report(out, sections, title, intro=intro)
        finish_run_dir(out)
    except BaseException:
        if main:
            restore_unstarted(out, parts)
        raise
    print(f"combined report: {out / 'report.html'}")


def parts_data_sha256(out: Path, parts) -> dict:
    """Each part's data SHA-256 as its own config.json records it (None where it records
    none), for the run's top-level config.json: the run says what data it used."""
    from ..io.json_file import read_json

    found = {}
    for pname in parts:
        try:
            found[pname] = read_json(out / pname / "config.json", RunDirError).get("data_sha256")
        except RunDirError:  # (a part run that wrote none: nothing to name)
            found[pname] = None
    return found


def restore_unstarted(out: Path, parts) -> bool:
    """The run in ``out`` stopped: when no part wrote results (each part folder holds only
    what a run writes at its start), those folders go and the run it replaced is put back.
    Otherwise the replaced run stays aside until the next run here finishes, and the user
    is told where it is. True when it was put back."""
    import shutil
    import sys

    started = []
    for pname in parts:
        p = out / pname
        if p.is_dir() and not p.is_symlink():
            if is_unstarted([e.name for e in p.iterdir() if e.name != LOCK_NAME], p):
                shutil.rmtree(p)
            else:
                started.append(pname)
    if not started:
        return restore_previous(out)
    aside = previous_of(out)
    if aside.is_dir():
        print(f"rnnlab: {out}: parts {', '.join(started)} wrote results before the run "
              f"stopped; the run it replaced stays in {aside} until a run here finishes",
              file=sys.stderr)
    return False
