"""A finished run directory to test ``--overwrite`` on, without training one: made by
``prepare_run_dir``, one result written, finished by ``finish_run_dir``."""

from pathlib import Path


def finished_run(path, text: str) -> Path:
    """The run directory ``path``, finished, holding ``metrics.json`` with ``text``."""
    from rnnlab.io.rundir import finish_run_dir, prepare_run_dir

    run = prepare_run_dir(path)
    (run / "metrics.json").write_text(text)
    finish_run_dir(run)
    return run
