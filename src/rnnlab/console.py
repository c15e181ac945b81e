"""The ``rnnlab`` command's entry point (``[project.scripts]``) and ``python -m rnnlab``'s.

The console script pip writes imports its entry point's module at its top level, outside
any ``try``: with ``rnnlab.cli:main`` a Ctrl-C while ``rnnlab.cli`` (and what it imports)
loaded printed a Python traceback. This module imports nothing at its top level: the
command line's module is imported inside :func:`main`, where a Ctrl-C (SIGTERM) at any
moment before the command's own handling ends as one line on stderr and exit status 130
(143).

An exception no command handles is a defect of rnnlab: its traceback is printed, said to
be one, and the exit status is 70 (``EX_SOFTWARE``), not the 1 of an error of the data,
files or machine (it was Python's 1 too, so a script could not tell the two apart). A
warning that ``-W error`` or ``PYTHONWARNINGS=error`` made an exception (a nightly job
that fails on them) is no defect: one line naming it, exit status 1.
"""

INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE: an internal software error


def main() -> int:
    """Run ``rnnlab`` on ``sys.argv``; its exit status (130 / 143 for a Ctrl-C / SIGTERM
    while it starts, 70 for a defect). SIGTERM is a :class:`~rnnlab.io.terminate.Terminated`
    from here on (the handler before it put back at the end): before, one while the modules
    loaded killed the process silently, and one sent to PID 1 of a container (Kubernetes'
    stop) was dropped, so the job ran on until its SIGKILL."""
    import signal
    import sys
    import threading

    try:
        from .io.terminate import raise_terminated, sigterm_count
    except KeyboardInterrupt:  # (a Ctrl-C while the handler's own module loads)
        print("\nrnnlab: interrupted", file=sys.stderr)
        return 130
    seen = sigterm_count()  # (an earlier command's in this process: not this one's)
    main_thread = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, raise_terminated) if main_thread else None
    try:
        return _main(seen)
    finally:
        if before is not None:  # (None: a handler set outside Python, which Python cannot
            signal.signal(signal.SIGTERM, before)  # put back: ours stays)


def _main(seen: int) -> int:
    """:func:`main`'s work: the command run, its stops and defects said (``seen``: the
    SIGTERMs raised before it started, not its own)."""
    import sys

    from .io.terminate import Terminated

    try:
        from .io.closed_streams import open_closed_standard_streams

        open_closed_standard_streams()  # (`>&-`, `2>&-`: as if sent to /dev/null)
        from .cli import main as cli_main
        from .io.failing_stderr import ForgivingStderr
        from .io.text_streams import tolerant_output

        tolerant_output()  # (for the whole process: the defect's traceback below too)
        sys.stderr = stderr = ForgivingStderr(sys.stderr)  # (a full log: the work goes on)
        code = cli_main()
        return 1 if code == 0 and stderr.lost else code
    except KeyboardInterrupt as e:  # (the commands' own Ctrl-C handling returns 130 itself)
        terminated = isinstance(e, Terminated)
        print(f"\nrnnlab: {'terminated (SIGTERM)' if terminated else 'interrupted'}",
              file=sys.stderr)
        return 143 if terminated else 130
    except Warning as w:  # (-W error, PYTHONWARNINGS=error: a job's choice, not a defect)
        print(f"rnnlab: error: {type(w).__name__}: {w} (a warning made an error by Python's "
              f"-W error or PYTHONWARNINGS=error; without it the command goes on, says the "
              f"warning on stderr and exits 0) (exit status 1)", file=sys.stderr)
        return 1
    except Exception:  # (rnnlab's own errors are one line and status 1 or 2 in cli.main)
        from .io.terminate import sigterm_received

        if sigterm_received(since=seen):  # (the error of an import the SIGTERM cut short)
            print("\nrnnlab: terminated (SIGTERM); files already written are kept",
                  file=sys.stderr)
            return 143
        import traceback

        traceback.print_exc()
        print(f"rnnlab: internal error: the traceback above is a defect of rnnlab, not of "
              f"the data or the options; please report it with the command line (exit "
              f"status {INTERNAL_ERROR})", file=sys.stderr)
        return INTERNAL_ERROR
